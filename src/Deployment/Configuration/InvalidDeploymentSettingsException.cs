using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BlueGreen.Deployment.Configuration;

/// <summary>The deployment configuration is invalid; <see cref="Problems"/> lists every problem found.</summary>
public sealed class InvalidDeploymentSettingsException : Exception
{
    public InvalidDeploymentSettingsException(IReadOnlyList<string> problems)
        : base(Format(problems)) => Problems = problems;

    public InvalidDeploymentSettingsException() : this([]) { }

    public InvalidDeploymentSettingsException(string message) : base(message) => Problems = [message];

    public InvalidDeploymentSettingsException(string message, Exception inner) : base(message, inner) => Problems = [message];

    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems) =>
        $"The deployment configuration (cdk.json context or -c options) has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:\n"
        + string.Join('\n', problems.Select(p => "- " + p));
}
