namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// StartExecution refused the input, as the API does (error code <c>InvalidExecutionInput</c>): no
/// execution is created, so no history and no status exist for it.
/// </summary>
public sealed class InvalidExecutionInputException(string message) : Exception(message)
{
    public string ErrorCode { get; } = "InvalidExecutionInput";
}
