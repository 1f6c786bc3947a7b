namespace BlueGreen.Simulator.Asl;

/// <summary>The predefined error names of the States Language and Step Functions.</summary>
public static class StatesErrors
{
    public const string All = "States.ALL";
    public const string TaskFailed = "States.TaskFailed";
    public const string Timeout = "States.Timeout";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string Runtime = "States.Runtime";
    public const string DataLimitExceeded = "States.DataLimitExceeded";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string BranchFailed = "States.BranchFailed";
    public const string Permissions = "States.Permissions";

    /// <summary>
    /// Errors that end the execution whatever its Retry and Catch say: <c>States.ALL</c> does not
    /// match them and they cannot be named in a retrier or catcher either.
    /// </summary>
    public static bool IsTerminal(string error) => error is Runtime or DataLimitExceeded;

    /// <summary>A task that ran past TimeoutSeconds or HeartbeatSeconds: a TaskTimedOut event, not TaskFailed.</summary>
    public static bool IsTimeout(string error) => error is Timeout or HeartbeatTimeout;
}

/// <summary>
/// A failure raised while running a state: an error name and a cause, exactly what a Catch sees
/// (<c>{"Error": ..., "Cause": ...}</c>) and what the execution reports when nothing catches it.
/// </summary>
public class StatesException(string error, string? cause) : Exception(cause is null ? error : $"{error}: {cause}")
{
    public string Error { get; } = error;

    public string? Cause { get; } = cause;
}
