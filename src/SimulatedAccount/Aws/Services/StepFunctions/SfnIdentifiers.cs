using System.Text.RegularExpressions;

namespace BlueGreen.Simulator.Aws.Services.StepFunctions;

/// <summary>The forms Step Functions accepts for state machine and execution names and ARNs, and its errors when they are wrong.</summary>
internal static partial class SfnIdentifiers
{
    public static bool IsStateMachineArn(string arn) => StateMachineArnRegex().IsMatch(arn);

    public static bool IsExecutionArn(string arn) => ExecutionArnRegex().IsMatch(arn);

    /// <summary>Names of state machines and executions: 1-80 characters, none of whitespace, brackets, wildcards, the listed specials, or control characters.</summary>
    public static void ValidateName(string name, string member)
    {
        if (name.Length is 0 or > 80 || !ValidNameRegex().IsMatch(name))
        {
            throw new AwsServiceException("InvalidName", $"Invalid Name: '{name}' ({member})");
        }
    }

    public static AwsServiceException InvalidArn(string arn) => new("InvalidArn", $"Invalid Arn: 'Resource type not valid in this context: {arn}'");

    public static AwsServiceException InvalidToken(string token) => new("InvalidToken", $"Invalid Token: '{token}'");

    [GeneratedRegex(@"^arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$", RegexOptions.CultureInvariant)]
    private static partial Regex StateMachineArnRegex();

    [GeneratedRegex(@"^arn:aws:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ExecutionArnRegex();

    [GeneratedRegex(@"^[^\s<>{}\[\]?*""#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidNameRegex();
}
