using System.Collections.Concurrent;
using System.Collections.Frozen;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Models;

/// <summary>
/// The normalized AWS API models of the simulated services. The build exports them from the pinned
/// <c>@aws-sdk/client-*</c> packages (<c>node/export-models.mjs</c>, run by the <c>ExportAwsApiModels</c>
/// target into <c>obj/</c>) and embeds them in this assembly as <c>AwsModels/&lt;sdkName&gt;.json</c>; a
/// service's model is parsed the first time it is needed, once per process, from any thread.
/// </summary>
public sealed class ApiModelCatalog
{
    private const string ResourcePrefix = "AwsModels/";
    private const int SupportedFormat = 1;

    private readonly Func<string, byte[]?> _read;
    private readonly Lazy<IReadOnlyList<string>> _sdkNames;
    private readonly ConcurrentDictionary<string, Lazy<ApiServiceModel?>> _models = new(StringComparer.Ordinal);

    private ApiModelCatalog(string origin, Func<string, byte[]?> read)
    {
        Origin = origin;
        _read = read;
        _sdkNames = new Lazy<IReadOnlyList<string>>(ReadIndex, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The models embedded by the build, shared by the whole process.</summary>
    public static ApiModelCatalog Embedded { get; } = FromEmbeddedResources();

    /// <summary>A new catalog over the embedded models, with nothing loaded yet.</summary>
    public static ApiModelCatalog FromEmbeddedResources() => new("the simulator assembly", ReadEmbedded);

    /// <summary>Where the models come from, for messages.</summary>
    public string Origin { get; }

    /// <summary>Models exported to a folder by <c>node export-models.mjs FOLDER</c>.</summary>
    public static ApiModelCatalog FromDirectory(string directory) =>
        new(directory, file => File.Exists(Path.Combine(directory, file)) ? File.ReadAllBytes(Path.Combine(directory, file)) : null);

    /// <summary>False when the build could not export the models (Node.js missing or <c>npm ci</c> failed).</summary>
    public bool IsAvailable => SdkNames.Count > 0;

    /// <summary>The services with a model (Step Functions SDK-integration names: <c>eks</c>, <c>sns</c>...).</summary>
    public IReadOnlyList<string> SdkNames => _sdkNames.Value;

    /// <summary>The model of <paramref name="sdkName"/>, or null when the catalog has none for it.</summary>
    /// <exception cref="InvalidOperationException">The catalog holds no models at all.</exception>
    public ApiServiceModel? Find(string sdkName)
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException(
                $"No AWS API models were found in {Origin}. They are exported from the pinned npm packages when the simulator is built: " +
                "install Node.js 20+ with npm and rebuild (the build runs 'npm ci' and 'node export-models.mjs' in src/SimulatedAccount/node).");
        }

        return _models.GetOrAdd(sdkName, name => new Lazy<ApiServiceModel?>(() => Load(name), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private static byte[]? ReadEmbedded(string file)
    {
        using var stream = typeof(ApiModelCatalog).Assembly.GetManifestResourceStream(ResourcePrefix + file);
        if (stream is null)
        {
            return null;
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private List<string> ReadIndex()
    {
        if (_read("index.json") is not { } bytes)
        {
            return [];
        }

        var index = JValue.Parse(bytes).AsObject();
        CheckFormat(index, "index.json");
        return [.. (index.GetObject("services") ?? JObject.Empty).Keys.Order(StringComparer.Ordinal)];
    }

    private ApiServiceModel? Load(string sdkName)
    {
        if (!SdkNames.Contains(sdkName) || _read($"{sdkName}.json") is not { } bytes)
        {
            return null;
        }

        var json = JValue.Parse(bytes).AsObject();
        CheckFormat(json, $"{sdkName}.json");
        return new ModelBuilder(sdkName, json).Build();
    }

    private void CheckFormat(JObject json, string file)
    {
        if (json.GetNumber("formatVersion") is not SupportedFormat)
        {
            throw new InvalidOperationException($"{file} in {Origin} has model format {json["formatVersion"]?.ToJson() ?? "(none)"}; this simulator reads format {SupportedFormat}. Rebuild the simulator.");
        }
    }

    /// <summary>Turns one exported JSON model into linked <see cref="ApiType"/>s (named shapes first, then their contents).</summary>
    private sealed class ModelBuilder(string sdkName, JObject json)
    {
        private readonly JObject _shapes = json.GetObject("shapes") ?? JObject.Empty;
        private readonly Dictionary<string, ApiType> _named = new(StringComparer.Ordinal);

        public ApiServiceModel Build()
        {
            foreach (var (name, shape) in _shapes)
            {
                _named[name] = new ApiType(KindOf(shape.AsObject().GetString("type"), name), name);
            }

            foreach (var (name, shape) in _shapes)
            {
                Fill(_named[name], shape.AsObject());
            }

            var operations = new Dictionary<string, ApiOperation>(StringComparer.Ordinal);
            foreach (var (name, operation) in json.GetObject("operations") ?? JObject.Empty)
            {
                var o = operation.AsObject();
                operations[name] = new ApiOperation(name, Named(o.GetString("input")), Named(o.GetString("output")));
            }

            var errors = new Dictionary<string, ApiError>(StringComparer.Ordinal);
            foreach (var (name, error) in json.GetObject("errors") ?? JObject.Empty)
            {
                var e = error.AsObject();
                var apiError = new ApiError(name, e.GetString("code") ?? name, e.GetString("fault") == "server");
                errors[name] = apiError;
                errors.TryAdd(apiError.Code, apiError);
            }

            return new ApiServiceModel(
                sdkName,
                json.GetString("package") ?? string.Empty,
                json.GetString("version") ?? string.Empty,
                json.GetString("protocol"),
                operations.ToFrozenDictionary(StringComparer.Ordinal),
                errors.ToFrozenDictionary(StringComparer.Ordinal));
        }

        private ApiType Named(string? name) =>
            name is not null && _named.TryGetValue(name, out var type) ? type : throw new InvalidOperationException($"{sdkName}: the model refers to a missing shape '{name}'.");

        private void Fill(ApiType type, JObject shape)
        {
            switch (type.Kind)
            {
                case ApiTypeKind.List:
                    type.Element = Describe(shape.GetObject("member")!);
                    break;
                case ApiTypeKind.Map:
                    type.Value = Describe(shape.GetObject("value")!);
                    break;
                case ApiTypeKind.Structure or ApiTypeKind.Union:
                    var members = (shape.GetArray("members") ?? JArray.Empty).Select(m => Member(type.Name!, m.AsObject())).ToList();
                    type.Members = members;
                    type.RequiredMembers = members.Where(m => m.Required).ToList();
                    var byName = new Dictionary<string, ApiMember>(StringComparer.Ordinal);
                    foreach (var member in members)
                    {
                        foreach (var accepted in member.AcceptedNames)
                        {
                            byName.TryAdd(accepted, member);
                        }
                    }

                    type.MembersByParameterName = byName.ToFrozenDictionary(StringComparer.Ordinal);
                    break;
            }
        }

        private ApiMember Member(string shapeName, JObject m)
        {
            var name = m.GetString("name")!;
            return new ApiMember(name, StepFunctionsNames.ParameterName(sdkName, shapeName, name), StepFunctionsNames.AcceptedNames(sdkName, shapeName, name), Describe(m))
            {
                Required = m.GetBool("required") == true,
                IsPayload = m.GetBool("payload") == true,
                IsIdempotencyToken = m.GetBool("idempotencyToken") == true,
                Enum = EnumOf(m, "enum"),
                ItemEnum = EnumOf(m, "itemEnum"),
                ValueEnum = EnumOf(m, "valueEnum"),
                KeyEnum = EnumOf(m, "keyEnum"),
            };
        }

        private static ApiEnumValues? EnumOf(JObject m, string key) =>
            m.GetArray(key) is { Count: > 0 } values ? new ApiEnumValues([.. values.Select(v => v.AsString())]) : null;

        /// <summary>A type descriptor: <c>{ref}</c> to a named shape, or an inline primitive, list or map.</summary>
        private ApiType Describe(JObject descriptor)
        {
            if (descriptor.GetString("ref") is { } name)
            {
                return Named(name);
            }

            var type = descriptor.GetString("type");
            return type switch
            {
                "string" => ApiType.String,
                "number" => ApiType.Number,
                "boolean" => ApiType.Boolean,
                "timestamp" => ApiType.Timestamp,
                "blob" => ApiType.Blob,
                "document" => ApiType.Document,
                "list" => new ApiType(ApiTypeKind.List) { Element = Describe(descriptor.GetObject("member")!) },
                "map" => new ApiType(ApiTypeKind.Map) { Value = Describe(descriptor.GetObject("value")!) },
                _ => throw new InvalidOperationException($"{sdkName}: unknown type '{type}' in the model."),
            };
        }

        private ApiTypeKind KindOf(string? type, string name) => type switch
        {
            "structure" or "error" => ApiTypeKind.Structure,
            "union" => ApiTypeKind.Union,
            "list" => ApiTypeKind.List,
            "map" => ApiTypeKind.Map,
            _ => throw new InvalidOperationException($"{sdkName}: shape '{name}' has unknown type '{type}'."),
        };
    }
}
