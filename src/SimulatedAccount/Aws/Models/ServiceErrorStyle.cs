using System.Globalization;
using System.Text;

namespace BlueGreen.Simulator.Aws.Models;

/// <summary>
/// How a service words its own validation errors (a missing required member, a value outside the model's
/// constraints). Step Functions passes the request on and the service rejects it, so these messages are the
/// service's, not Step Functions'.
/// </summary>
internal abstract class ServiceErrorStyle
{
    /// <summary>
    /// The validation layer that fronts most AWS services: <c>1 validation error detected: Value null at
    /// 'tableName' failed to satisfy constraint: Member must not be null</c>, members named as in the model
    /// with a lower-case first letter, list elements as <c>dimensions.1.member.value</c> (1-based), several
    /// problems joined with "; " after "N validation errors detected:".
    /// </summary>
    public static readonly ServiceErrorStyle Coral = new CoralStyle();

    /// <summary>Amazon SNS: <c>Invalid parameter: Empty message</c>, one problem per error.</summary>
    public static readonly ServiceErrorStyle Sns = new SnsStyle();

    public static ServiceErrorStyle For(string sdkName) => sdkName == "sns" ? Sns : Coral;

    public abstract string MissingRequired(string operation, RequestLocation location);

    public abstract string NotInEnum(RequestLocation location, string value, ApiEnumValues allowed);

    /// <summary>The message of the one error the service returns for all of <paramref name="problems"/>.</summary>
    public abstract string Combine(IReadOnlyList<RequestProblem> problems);

    private sealed class CoralStyle : ServiceErrorStyle
    {
        public override string MissingRequired(string operation, RequestLocation location) =>
            $"Value null at '{location.ServicePath}' failed to satisfy constraint: Member must not be null";

        public override string NotInEnum(RequestLocation location, string value, ApiEnumValues allowed) =>
            $"Value '{value}' at '{location.ServicePath}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed.Values)}]";

        public override string Combine(IReadOnlyList<RequestProblem> problems) =>
            string.Create(CultureInfo.InvariantCulture, $"{problems.Count} validation error{(problems.Count == 1 ? string.Empty : "s")} detected: {string.Join("; ", problems.Select(p => p.Message))}");
    }

    private sealed class SnsStyle : ServiceErrorStyle
    {
        public override string MissingRequired(string operation, RequestLocation location) =>
            operation == "Publish" && location.ParameterPath == "Message"
                ? "Invalid parameter: Empty message"
                : $"Invalid parameter: {location.ParameterPath} Reason: no value for required parameter";

        public override string NotInEnum(RequestLocation location, string value, ApiEnumValues allowed) =>
            $"Invalid parameter: {location.ParameterPath} Reason: '{value}' is not one of [{string.Join(", ", allowed.Values)}]";

        // SNS stops at the first problem it finds.
        public override string Combine(IReadOnlyList<RequestProblem> problems) => problems[0].Message;
    }
}

/// <summary>Where in a request a problem is, named both as Step Functions and as the service names it.</summary>
internal readonly struct RequestLocation(IReadOnlyList<RequestLocationStep> segments)
{
    /// <summary>Step Functions' parameter names: <c>ChangeBatch.Changes[0].ResourceRecordSet.Ttl</c>, <c>Item['id'].S</c>.</summary>
    public string ParameterPath
    {
        get
        {
            var sb = new StringBuilder();
            foreach (var segment in segments)
            {
                switch (segment)
                {
                    case { Member: { } m }:
                        sb.Append(sb.Length == 0 ? string.Empty : ".").Append(m.ParameterName);
                        break;
                    case { Key: { } key }:
                        sb.Append("['").Append(key).Append("']");
                        break;
                    default:
                        sb.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                        break;
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>The service's names: <c>changeBatch.changes.1.member.resourceRecordSet.tTL</c>.</summary>
    public string ServicePath
    {
        get
        {
            var parts = new List<string>(segments.Count);
            foreach (var segment in segments)
            {
                parts.Add(segment switch
                {
                    { Member: { } m } => char.ToLowerInvariant(m.Name[0]) + m.Name[1..],
                    { Key: { } key } => key,
                    _ => string.Create(CultureInfo.InvariantCulture, $"{segment.Index + 1}.member"),
                });
            }

            return string.Join('.', parts);
        }
    }

    /// <summary>The last member's Step Functions name (what Step Functions calls "the field").</summary>
    public string Field => segments.LastOrDefault(s => s.Member is not null).Member?.ParameterName ?? string.Empty;
}

/// <summary>One step into a request: a member, a list index or a map key.</summary>
internal readonly record struct RequestLocationStep(ApiMember? Member, int Index, string? Key);
