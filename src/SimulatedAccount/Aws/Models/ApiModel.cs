using System.Collections.Frozen;

namespace BlueGreen.Simulator.Aws.Models;

/// <summary>The shape kinds of the normalized AWS API models (Smithy's, with every number type folded into one).</summary>
#pragma warning disable CA1720 // String and Boolean are the names Smithy gives these kinds
public enum ApiTypeKind
{
    String,
    Number,
    Boolean,
    Timestamp,
    Blob,
    Document,
    List,
    Map,
    Structure,
    Union,
}
#pragma warning restore CA1720

/// <summary>One AWS service's API model, as exported from its pinned SDK client by <c>node/export-models.mjs</c>.</summary>
public sealed class ApiServiceModel
{
    internal ApiServiceModel(string sdkName, string package, string version, string? protocol, FrozenDictionary<string, ApiOperation> operations, FrozenDictionary<string, ApiError> errors)
    {
        Errors = errors;
        SdkName = sdkName;
        Package = package;
        Version = version;
        Protocol = protocol;
        Operations = operations;
    }

    /// <summary>The service's name in <c>arn:aws:states:::aws-sdk:NAME:action</c>.</summary>
    public string SdkName { get; }

    /// <summary>The npm package the model comes from, e.g. <c>@aws-sdk/client-eks</c>.</summary>
    public string Package { get; }

    public string Version { get; }

    /// <summary>The service's wire protocol (<c>restJson1</c>, <c>awsQuery</c>, <c>awsJson1_0</c>...).</summary>
    public string? Protocol { get; }

    /// <summary>Operations by PascalCase name (<c>CreateCluster</c>).</summary>
    public FrozenDictionary<string, ApiOperation> Operations { get; }

    /// <summary>The service's modeled errors, by shape name and by the code they are sent under.</summary>
    public FrozenDictionary<string, ApiError> Errors { get; }

    /// <summary>
    /// The modeled error <paramref name="code"/> names: its wire code or shape name exactly, or its shape
    /// name with the <c>Exception</c> suffix Step Functions adds (<c>ExecutionLimitExceededException</c>).
    /// Never the other way round: Route 53 sends throttling as <c>Throttling</c>, which is not its modeled
    /// <c>ThrottlingException</c>.
    /// </summary>
    public ApiError? FindError(string code) =>
        Errors.GetValueOrDefault(code)
        ?? (code.EndsWith("Exception", StringComparison.Ordinal) && Errors.GetValueOrDefault(code[..^"Exception".Length]) is { } e && e.ShapeName == code[..^"Exception".Length] ? e : null);
}

/// <summary>A modeled error: its shape name (<c>InternalServiceFault</c>), the code the service sends (<c>InternalServiceError</c>), and whether it is the server's fault.</summary>
public sealed record ApiError(string ShapeName, string Code, bool IsServerFault);

public sealed record ApiOperation(string Name, ApiType Input, ApiType Output);

/// <summary>
/// A type in a model: a primitive, a list, a map, or a structure/union with members. Named shapes are
/// shared (and may be recursive, like DynamoDB's AttributeValue), so instances are built in two passes.
/// </summary>
public sealed class ApiType
{
    private static readonly FrozenDictionary<string, ApiMember> NoMembers = FrozenDictionary<string, ApiMember>.Empty;

    internal ApiType(ApiTypeKind kind, string? name = null)
    {
        Kind = kind;
        Name = name;
    }

    public ApiTypeKind Kind { get; }

    /// <summary>The shape's name when the model names it (<c>VpcConfigRequest</c>); null for inline types.</summary>
    public string? Name { get; }

    /// <summary>The element type of a list.</summary>
    public ApiType? Element { get; internal set; }

    /// <summary>The value type of a map (keys are strings: user data, never member names).</summary>
    public ApiType? Value { get; internal set; }

    /// <summary>Members of a structure or union, in model order.</summary>
    public IReadOnlyList<ApiMember> Members { get; internal set; } = [];

    /// <summary>Members that must be present.</summary>
    public IReadOnlyList<ApiMember> RequiredMembers { get; internal set; } = [];

    /// <summary>Members by every name Step Functions accepts for them (see <see cref="StepFunctionsNames"/>).</summary>
    internal FrozenDictionary<string, ApiMember> MembersByParameterName { get; set; } = NoMembers;

    public bool IsAggregate => Kind is ApiTypeKind.Structure or ApiTypeKind.Union;

    public ApiMember? FindMember(string parameterName) => MembersByParameterName.GetValueOrDefault(parameterName);

    public override string ToString() => Name ?? Kind.ToString();

    internal static readonly ApiType String = new(ApiTypeKind.String);
    internal static readonly ApiType Number = new(ApiTypeKind.Number);
    internal static readonly ApiType Boolean = new(ApiTypeKind.Boolean);
    internal static readonly ApiType Timestamp = new(ApiTypeKind.Timestamp);
    internal static readonly ApiType Blob = new(ApiTypeKind.Blob);
    internal static readonly ApiType Document = new(ApiTypeKind.Document);
}

/// <summary>A member of a structure or union.</summary>
public sealed class ApiMember
{
    internal ApiMember(string name, string parameterName, IReadOnlyList<string> acceptedNames, ApiType type)
    {
        Name = name;
        ParameterName = parameterName;
        AcceptedNames = acceptedNames;
        Type = type;
    }

    /// <summary>The member's name in the service's model (<c>nodegroupName</c>, <c>TTL</c>).</summary>
    public string Name { get; }

    /// <summary>The name Step Functions uses for it (<c>NodegroupName</c>, <c>Ttl</c>).</summary>
    public string ParameterName { get; }

    /// <summary>Every parameter name accepted for the member; the first is <see cref="ParameterName"/>.</summary>
    public IReadOnlyList<string> AcceptedNames { get; }

    public ApiType Type { get; }

    public bool Required { get; init; }

    /// <summary>The member is the HTTP payload (Lambda Invoke's <c>Payload</c>): Step Functions accepts any JSON for it.</summary>
    public bool IsPayload { get; init; }

    /// <summary>An idempotency token, which the SDK fills in when absent.</summary>
    public bool IsIdempotencyToken { get; init; }

    /// <summary>Allowed values of a string member.</summary>
    public ApiEnumValues? Enum { get; init; }

    /// <summary>Allowed values of a list member's elements.</summary>
    public ApiEnumValues? ItemEnum { get; init; }

    /// <summary>Allowed values of a map member's values.</summary>
    public ApiEnumValues? ValueEnum { get; init; }

    /// <summary>Allowed keys of a map member.</summary>
    public ApiEnumValues? KeyEnum { get; init; }

    public override string ToString() => ParameterName;
}

/// <summary>An enum's value set, kept in model order for messages.</summary>
public sealed class ApiEnumValues
{
    private readonly FrozenSet<string> _set;

    public ApiEnumValues(IReadOnlyList<string> values)
    {
        Values = values;
        _set = values.ToFrozenSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Values { get; }

    public bool Contains(string value) => _set.Contains(value);
}
