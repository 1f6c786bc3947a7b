using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlueGreen.Functions.Aws;

// Elastic Load Balancing v2 shapes (a query-protocol API: member names are already PascalCase).

/// <summary>
/// A listener or rule action. Only forward actions are rewritten; every other action (authenticate-oidc,
/// fixed-response...) is carried through unchanged, including members this code does not know about.
/// </summary>
public sealed record ElbAction
{
    public required string Type { get; init; }
    public string? TargetGroupArn { get; init; }
    public int? Order { get; init; }
    public ForwardActionConfig? ForwardConfig { get; init; }

    // Settable rather than init-only: System.Text.Json cannot fill extension data through the
    // object-initializer path it uses for init-only and required members.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? OtherMembers { get; set; }
}

public sealed record ForwardActionConfig
{
    public IReadOnlyList<TargetGroupTuple>? TargetGroups { get; init; }
    public TargetGroupStickinessConfig? TargetGroupStickinessConfig { get; init; }
}

public sealed record TargetGroupTuple
{
    public required string TargetGroupArn { get; init; }
    public int? Weight { get; init; }
}

public sealed record TargetGroupStickinessConfig
{
    public bool? Enabled { get; init; }
    public int? DurationSeconds { get; init; }
}

public sealed record ModifyListenerRequest : TrafficApiRequest
{
    public required string ListenerArn { get; init; }
    public required IReadOnlyList<ElbAction> DefaultActions { get; init; }
}

public sealed record ModifyRuleRequest : TrafficApiRequest
{
    public required string RuleArn { get; init; }
    public required IReadOnlyList<ElbAction> Actions { get; init; }
}

public sealed record TargetHealthDescription
{
    public TargetDescription? Target { get; init; }
    public string? HealthCheckPort { get; init; }
    public TargetHealth? TargetHealth { get; init; }
}

public sealed record TargetDescription
{
    public string? Id { get; init; }
    public int? Port { get; init; }
    public string? AvailabilityZone { get; init; }
}

public sealed record TargetHealth
{
    /// <summary>initial | healthy | unhealthy | unhealthy.draining | unused | draining | unavailable.</summary>
    public string? State { get; init; }
    public string? Reason { get; init; }
    public string? Description { get; init; }
}
