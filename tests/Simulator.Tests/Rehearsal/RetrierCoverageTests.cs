using System.Text.Json.Nodes;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Models;

namespace BlueGreen.Simulator.Tests.Rehearsal;

/// <summary>
/// Every AWS SDK Task state in every product state machine retries the two transient errors its service
/// raises (throttling and an internal failure), under the names the simulated account gives them
/// (docs/aws-api-models.md, "Error names"). <see cref="TransientFaultTests"/> proves this by running the happy
/// paths; this covers the states those paths never reach (rollback, cleanup, large-Blue pagination, restore-blue).
/// </summary>
public sealed class RetrierCoverageTests : IDisposable
{
    private const string SdkResource = "arn:aws:states:::aws-sdk:";

    private readonly SimulatedAccount _account = AccountFactory.Create();

    public void Dispose() => _account.Dispose();

    public static TheoryData<string> Files => new(Directory.GetFiles(Path.Combine(BuildInfo.RepositoryRoot, "statemachines"), "*.asl.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Files))]
    public void EverySdkTask_RetriesItsServicesThrottlingAndInternalErrors(string file)
    {
        var definition = JsonNode.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", file)))!.AsObject();
        var missing = new List<string>();
        var checkedStates = 0;
        foreach (var (name, state) in TaskStates(definition["States"]!.AsObject()))
        {
            var resource = (string?)state["Resource"] ?? string.Empty;
            if (!resource.StartsWith(SdkResource, StringComparison.Ordinal)
                || _account.ServiceBySdkName(resource[SdkResource.Length..].Split(':')[0]) is not { } service)
            {
                continue;
            }

            checkedStates++;
            var retried = (state["Retry"]?.AsArray() ?? []).SelectMany(r => r!["ErrorEquals"]!.AsArray().Select(e => (string)e!)).ToHashSet(StringComparer.Ordinal);
            foreach (var code in new[] { service.ThrottlingErrorCode, service.InternalErrorCode })
            {
                var error = ApiModelValidator.Default.SdkIntegrationErrorName(service.SdkName, service.ErrorPrefix, code);
                if (!retried.Contains(error) && !retried.Contains("States.ALL"))
                {
                    missing.Add($"'{name}' ({resource[SdkResource.Length..]}) does not retry {error}");
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        // Every SDK task in the file was found, however deeply nested (Parallel branches, Map processors).
        Assert.Equal(Occurrences(file, "\"Resource\": \"" + SdkResource), checkedStates);
    }

    /// <summary>
    /// Every Lambda task retries the guide's transient Lambda errors (bp-lambda-serviceexception) and the two SnapStart
    /// restore errors Invoke can raise (the functions use SnapStart; Lambda API model, Invoke errors
    /// SnapStartTimeoutException and SnapStartNotReadyException).
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void EveryLambdaTask_RetriesTheTransientLambdaAndSnapStartErrors(string file)
    {
        string[] transient =
        [
            "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException",
            "Lambda.SnapStartTimeoutException", "Lambda.SnapStartNotReadyException",
        ];
        var missing = new List<string>();
        var lambdaTasks = 0;
        foreach (var (name, state) in TaskStates(Definition(file)["States"]!.AsObject()))
        {
            if (!((string?)state["Resource"] ?? string.Empty).StartsWith("arn:aws:states:::lambda:invoke", StringComparison.Ordinal))
            {
                continue;
            }

            lambdaTasks++;
            var retried = Retried(state);
            missing.AddRange(transient.Where(e => !retried.Contains(e)).Select(e => $"'{name}' does not retry {e}"));
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
        Assert.Equal(Occurrences(file, "\"Resource\": \"arn:aws:states:::lambda:invoke"), lambdaTasks);
    }

    /// <summary>
    /// A service's generic exception (an error code its model does not define, <c>Prefix.PrefixException</c>) carries
    /// AccessDenied and validation errors as well as, for services without a modeled throttling error, throttles: it is
    /// retried at most twice within about 3 seconds, in a retrier of its own, so a denied call fails in seconds instead of
    /// backing off for minutes. The same holds for the optimized integrations' v1 generic names (Lambda.AWSLambdaException,
    /// StepFunctions.AWSStepFunctionsException).
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void GenericServiceExceptions_AreRetriedOnlyBriefly(string file)
    {
        var generic = _account.Services.Select(s => SdkIntegrationErrors.Generic(s.ErrorPrefix))
            .Append("Lambda.AWSLambdaException").Append("StepFunctions.AWSStepFunctionsException").ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, state) in TaskStates(Definition(file)["States"]!.AsObject()))
        {
            foreach (var retrier in (state["Retry"]?.AsArray() ?? []).Select(r => r!.AsObject()))
            {
                var names = retrier["ErrorEquals"]!.AsArray().Select(e => (string)e!).ToList();
                if (!names.Any(generic.Contains) || names.Contains("States.ALL"))
                {
                    continue;
                }

                var attempts = (int?)retrier["MaxAttempts"] ?? 3;
                var interval = (double?)retrier["IntervalSeconds"] ?? 1;
                var backoff = (double?)retrier["BackoffRate"] ?? 2;
                var waited = Enumerable.Range(0, attempts).Sum(i => interval * Math.Pow(backoff, i));
                if (names.Any(n => !generic.Contains(n)))
                {
                    problems.Add($"'{name}' retries {string.Join(", ", names.Where(generic.Contains))} together with specific errors ({string.Join(", ", names.Where(n => !generic.Contains(n)))})");
                }

                if (attempts > 2 || waited > 3)
                {
                    problems.Add($"'{name}' retries {string.Join(", ", names)} {attempts} times over up to {waited} s");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// Wherever the execution-limit error of the optimized <c>states:startExecution</c> is retried, the guide's own spelling
    /// (concepts-nested-workflows: <c>StepFunctions.ExecutionLimitExceeded</c>, no suffix) is retried too.
    /// </summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void ExecutionLimitRetries_AlsoNameTheGuidesUnsuffixedError(string file)
    {
        var missing = TaskStates(Definition(file)["States"]!.AsObject())
            .Where(t => Retried(t.State).Contains("StepFunctions.ExecutionLimitExceededException") && !Retried(t.State).Contains("StepFunctions.ExecutionLimitExceeded"))
            .Select(t => t.Name)
            .ToList();

        Assert.True(missing.Count == 0, "not retrying StepFunctions.ExecutionLimitExceeded: " + string.Join(", ", missing));
    }

    /// <summary>How often <paramref name="text"/> occurs in the file as written.</summary>
    private static int Occurrences(string file, string text)
    {
        var content = File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", file));
        var count = 0;
        for (var at = content.IndexOf(text, StringComparison.Ordinal); at >= 0; at = content.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static JsonObject Definition(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, "statemachines", file)))!.AsObject();

    private static HashSet<string> Retried(JsonObject state) =>
        (state["Retry"]?.AsArray() ?? []).SelectMany(r => r!["ErrorEquals"]!.AsArray().Select(e => (string)e!)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<(string Name, JsonObject State)> TaskStates(JsonObject states)
    {
        foreach (var (name, node) in states)
        {
            var state = node!.AsObject();
            if ((string?)state["Type"] == "Task")
            {
                yield return (name, state);
            }

            var nested = (state["Branches"]?.AsArray().Select(b => b!["States"]!.AsObject()) ?? [])
                .Concat(new[] { state["ItemProcessor"], state["Iterator"] }.OfType<JsonNode>().Select(p => p["States"]!.AsObject()));
            foreach (var child in nested.SelectMany(TaskStates))
            {
                yield return child;
            }
        }
    }
}
