using System.Diagnostics.CodeAnalysis;

namespace BlueGreen.Functions;

// Every failure a handler reports is one of these classes. The Lambda runtime reports an unhandled
// exception's class name as the error type, and Step Functions matches Retry/Catch ErrorEquals against
// it, so each class name below IS the error name in statemachines/upgrade.asl.json. Renaming a class is
// a breaking change to the state machine contract (see docs/functions.md).

/// <summary>Base class: carries every problem found so a message never hides the second problem behind the first.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named like the error classes derived from it, whose names are Step Functions error names.")]
public abstract class WorkflowError : Exception
{
    protected WorkflowError(string message, IReadOnlyList<string> problems)
        : base(message) => Problems = problems;

    /// <summary>Each problem on its own, for tests and for callers that render them as a list.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>"Summary:\n- problem\n- problem": one readable message an operator sees as the execution's Cause.</summary>
    protected static string Compose(string summary, IReadOnlyList<string> problems) =>
        problems.Count == 0 ? summary : summary + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "- " + p));
}

/// <summary>The execution input (or a handler's input, when the state machine wires it wrongly) is invalid.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class InvalidInput : WorkflowError
{
    public InvalidInput(IReadOnlyList<string> problems)
        : base(Compose(problems.Count == 1 ? "The input has 1 problem:" : $"The input has {problems.Count} problems:", problems), problems) { }

    public InvalidInput(string problem) : this([problem]) { }
}

/// <summary>
/// The run cannot go ahead as it stands: Blue cannot be cloned (not ACTIVE, blocking upgrade insights, custom AMIs...), or
/// the input names something the deployment cannot reach (a missing alarm or hook, a rule without the traffic tag, a role
/// it may not pass, an ARN of another account or Region).
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class PreflightFailed : WorkflowError
{
    public PreflightFailed(IReadOnlyList<string> problems)
        : base(Compose("The preflight checks failed; nothing was changed:", problems), problems) { }
}

/// <summary>
/// The traffic wiring the input names is owned by a controller (the AWS Load Balancer Controller for an Ingress, or
/// external-dns) that would put its own weights back after every change; refused before anything is created.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class TrafficOwnedByController : WorkflowError
{
    public TrafficOwnedByController(IReadOnlyList<string> problems)
        : base(Compose("The traffic wiring is owned by a controller that would revert every weight change; nothing was changed:", problems), problems) { }
}

/// <summary>An add-on installed on Blue has no version that supports the target Kubernetes version.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class NoCompatibleAddonVersion : WorkflowError
{
    public NoCompatibleAddonVersion(IReadOnlyList<string> problems)
        : base(Compose("Some add-ons have no version compatible with the target Kubernetes version:", problems), problems) { }
}

/// <summary>Blue uses something Green cannot be given by copying (Outposts local clusters, too many tags...).</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class UnsupportedClusterConfiguration : WorkflowError
{
    public UnsupportedClusterConfiguration(IReadOnlyList<string> problems)
        : base(Compose("Blue's configuration cannot be reproduced on Green:", problems), problems) { }
}

/// <summary>Green did not become healthy before the plan's health deadline.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class HealthCheckTimedOut : WorkflowError
{
    public HealthCheckTimedOut(DateTimeOffset deadline, IReadOnlyList<string> reasons)
        : base(Compose($"Green was still unhealthy at the deadline {deadline:yyyy-MM-dd'T'HH:mm:ss'Z'}:", reasons), reasons) { }
}

/// <summary>A Green resource reached a terminal failure state (FAILED, CREATE_FAILED); waiting longer cannot help.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class GreenFailed : WorkflowError
{
    public GreenFailed(IReadOnlyList<string> problems)
        : base(Compose("Green reached a state it cannot recover from:", problems), problems) { }
}

/// <summary>The listener/rule action or the weighted records that traffic shifting must rewrite are not as the plan says.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class TrafficTargetNotFound : WorkflowError
{
    public TrafficTargetNotFound(IReadOnlyList<string> problems)
        : base(Compose("The traffic configuration to rewrite was not found as planned:", problems), problems) { }
}

/// <summary>An alarm named in the plan does not exist: a missing alarm is never read as OK.</summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class AlarmNotFound : WorkflowError
{
    public AlarmNotFound(IReadOnlyList<string> missing)
        : base(Compose(missing.Count == 1 ? "1 alarm named in the plan does not exist:" : $"{missing.Count} alarms named in the plan do not exist:", missing), missing) { }
}

/// <summary>
/// An upgrade profile (profiles/*.json) is invalid. The CDK app refuses to synthesize with one; the end-of-support
/// decision function throws it when the deployed profiles are not what synth checked (a wiring bug).
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "The class name is the Step Functions error name.")]
public sealed class InvalidProfile : WorkflowError
{
    public InvalidProfile(IReadOnlyList<string> problems)
        : base(Compose(problems.Count == 1 ? "The upgrade profiles have 1 problem:" : $"The upgrade profiles have {problems.Count} problems:", problems), problems) { }
}
