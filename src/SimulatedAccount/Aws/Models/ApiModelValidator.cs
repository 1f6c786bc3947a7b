using System.Globalization;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Models;

/// <summary>
/// Checks SDK-integration requests against the official AWS API model of their service, the way a request
/// fails on AWS: members the API does not have and values of the wrong JSON kind are refused by Step
/// Functions itself (<c>States.Runtime</c>, <c>The field "X" is not supported by Step Functions</c>);
/// missing required members and values outside the model's enums reach the service, which answers with its
/// own validation error, worded as that service words it.
/// </summary>
/// <remarks>
/// Member names follow <see cref="StepFunctionsNames"/>. Map keys are user data and are never checked as
/// member names. Scalars are accepted where the AWS SDK for Java, which Step Functions uses to build the
/// request, converts them: a number or boolean for a string, a numeric string for a number, "true"/"false"
/// for a boolean, ISO 8601 text or epoch seconds for a timestamp; a JSON null counts as absent. An HTTP
/// payload blob (Lambda Invoke's <c>Payload</c>) takes any JSON. Requests for services or operations the
/// catalog has no model of are not checked; neither is anything when the build could not export the
/// models (no Node.js), which is reported once on standard error.
/// </remarks>
public sealed class ApiModelValidator(ApiModelCatalog catalog) : IRequestValidator
{
    private static readonly Lazy<ApiModelValidator> DefaultValidator = new(() => new ApiModelValidator(ApiModelCatalog.Embedded));

    /// <summary>The validator over the models embedded by the build, shared by every account.</summary>
    public static ApiModelValidator Default => DefaultValidator.Value;

    public ApiModelCatalog Catalog { get; } = catalog;

    private int _warnedMissingModels;

    public IReadOnlyList<RequestProblem> Validate(string sdkName, string action, JObject parameters)
    {
        if (!Catalog.IsAvailable)
        {
            // Built without Node.js: the engine keeps working (as it did before models existed), but says so.
            if (Interlocked.Exchange(ref _warnedMissingModels, 1) == 0)
            {
                Console.Error.WriteLine($"warning: SDK-integration requests are not validated: no AWS API models in {Catalog.Origin}. Install Node.js 20+ with npm and rebuild.");
            }

            return [];
        }

        if (Catalog.Find(sdkName) is not { } model || !model.Operations.TryGetValue(action, out var operation))
        {
            return [];
        }

        var walk = new Walk(action, ServiceErrorStyle.For(sdkName));
        walk.Aggregate(operation.Input, parameters);
        return walk.Problems ?? (IReadOnlyList<RequestProblem>)[];
    }

    public string SdkIntegrationErrorName(string sdkName, string errorPrefix, string code) =>
        Catalog.IsAvailable && Catalog.Find(sdkName) is { } model ? SdkIntegrationErrors.Name(model, errorPrefix, code) : SdkIntegrationErrors.Legacy(errorPrefix, code);

    public JObject Normalize(string sdkName, string action, JObject parameters) =>
        Catalog.IsAvailable && Catalog.Find(sdkName) is { } model && model.Operations.TryGetValue(action, out var operation)
            ? RequestNormalizer.Aggregate(operation.Input, parameters)
            : parameters;

    public bool? IsModeledError(string sdkName, string code) =>
        Catalog.IsAvailable && Catalog.Find(sdkName) is { } model ? model.FindError(code) is not null : null;

    public string DescribeForService(string sdkName, IReadOnlyList<RequestProblem> problems) =>
        problems.Count == 0 ? string.Empty : ServiceErrorStyle.For(sdkName).Combine(problems);

    /// <summary>One request's traversal: the path so far and the problems found.</summary>
    private sealed class Walk(string operation, ServiceErrorStyle style)
    {
        private readonly List<RequestLocationStep> _path = [];

        public List<RequestProblem>? Problems { get; private set; }

        public void Aggregate(ApiType type, JObject value)
        {
            foreach (var (name, memberValue) in value)
            {
                if (type.FindMember(name) is not { } member)
                {
                    var parent = new RequestLocation(_path).ParameterPath;
                    var path = parent.Length == 0 ? name : $"{parent}.{name}";
                    Report(RequestProblemKind.UnknownMember, path, $"The field \"{name}\" is not supported by Step Functions");
                    continue;
                }

                if (memberValue is JNull)
                {
                    continue; // an explicit null is an absent member
                }

                _path.Add(new RequestLocationStep(member, 0, null));
                Member(member, memberValue);
                _path.RemoveAt(_path.Count - 1);
            }

            foreach (var required in type.RequiredMembers)
            {
                if (!IsPresent(value, required))
                {
                    _path.Add(new RequestLocationStep(required, 0, null));
                    var location = new RequestLocation(_path);
                    Report(RequestProblemKind.MissingRequired, location.ParameterPath, style.MissingRequired(operation, location));
                    _path.RemoveAt(_path.Count - 1);
                }
            }
        }

        private static bool IsPresent(JObject value, ApiMember member)
        {
            foreach (var name in member.AcceptedNames)
            {
                if (value.TryGet(name, out var v) && v is not JNull)
                {
                    return true;
                }
            }

            return false;
        }

        private void Member(ApiMember member, JValue value)
        {
            if (member.IsPayload && member.Type.Kind == ApiTypeKind.Blob)
            {
                return; // Step Functions serializes any JSON as the payload
            }

            if (!Value(member.Type, value))
            {
                return;
            }

            switch (value)
            {
                case JString s when member.Enum is { } allowed && !allowed.Contains(s.Value):
                    NotInEnum(s.Value, allowed);
                    break;
                case JArray items when member.ItemEnum is { } allowed:
                    for (var i = 0; i < items.Count; i++)
                    {
                        if (items[i] is JString s && !allowed.Contains(s.Value))
                        {
                            _path.Add(new RequestLocationStep(null, i, null));
                            NotInEnum(s.Value, allowed);
                            _path.RemoveAt(_path.Count - 1);
                        }
                    }

                    break;
                case JObject map when member.Type.Kind == ApiTypeKind.Map && (member.KeyEnum is not null || member.ValueEnum is not null):
                    foreach (var (key, entry) in map)
                    {
                        if (member.KeyEnum is { } keys && !keys.Contains(key))
                        {
                            NotInEnum(key, keys);
                        }

                        if (member.ValueEnum is { } values && entry is JString s && !values.Contains(s.Value))
                        {
                            _path.Add(new RequestLocationStep(null, 0, key));
                            NotInEnum(s.Value, values);
                            _path.RemoveAt(_path.Count - 1);
                        }
                    }

                    break;
            }
        }

        /// <summary>Checks <paramref name="value"/> against <paramref name="type"/>; false when its kind is wrong (nothing more to check).</summary>
        private bool Value(ApiType type, JValue value)
        {
            switch (type.Kind)
            {
                case ApiTypeKind.Structure or ApiTypeKind.Union:
                    if (value is not JObject o)
                    {
                        return WrongType("an object", value);
                    }

                    Aggregate(type, o);
                    return true;
                case ApiTypeKind.List:
                    if (value is not JArray items)
                    {
                        return WrongType("an array", value);
                    }

                    for (var i = 0; i < items.Count; i++)
                    {
                        if (items[i] is JNull)
                        {
                            continue;
                        }

                        _path.Add(new RequestLocationStep(null, i, null));
                        Value(type.Element!, items[i]);
                        _path.RemoveAt(_path.Count - 1);
                    }

                    return true;
                case ApiTypeKind.Map:
                    if (value is not JObject map)
                    {
                        return WrongType("an object", value);
                    }

                    foreach (var (key, entry) in map)
                    {
                        if (entry is JNull)
                        {
                            continue;
                        }

                        _path.Add(new RequestLocationStep(null, 0, key));
                        Value(type.Value!, entry);
                        _path.RemoveAt(_path.Count - 1);
                    }

                    return true;
                case ApiTypeKind.String or ApiTypeKind.Blob:
                    return value is JString or JNumber or JBool || WrongType("a string", value);
                case ApiTypeKind.Number:
                    return value is JNumber || (value is JString s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) || WrongType("a number", value);
                case ApiTypeKind.Boolean:
                    return value is JBool || (value is JString b && bool.TryParse(b.Value, out _)) || WrongType("a boolean", value);
                case ApiTypeKind.Timestamp:
                    return value is JNumber
                        || (value is JString t && DateTimeOffset.TryParse(t.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                        || WrongType("a timestamp (ISO 8601 text or epoch seconds)", value);
                default:
                    return true; // a document takes any JSON
            }
        }

        private void NotInEnum(string value, ApiEnumValues allowed)
        {
            var location = new RequestLocation(_path);
            Report(RequestProblemKind.ConstraintViolation, location.ParameterPath, style.NotInEnum(location, value, allowed));
        }

        private bool WrongType(string expected, JValue actual)
        {
            var location = new RequestLocation(_path);
            var article = actual.Kind is JKind.Array or JKind.Object ? "an" : "a";
            Report(RequestProblemKind.WrongType, location.ParameterPath, $"The value for the field \"{location.Field}\" must be {expected}, not {article} {actual.KindName}");
            return false;
        }

        private void Report(RequestProblemKind kind, string path, string message) =>
            (Problems ??= []).Add(new RequestProblem(kind, path, message));
    }
}
