using System.Text.RegularExpressions;
using BlueGreen.Functions;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Aws.Services.Lambda;
using BlueGreen.Simulator.Aws.Services.StepFunctions;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// Installs the product into a simulated account the way the CDK app installs it into AWS: the decision
/// functions (the real handlers, behind a <c>live</c> alias), the four state machines from
/// <c>statemachines/</c> with their DefinitionSubstitutions, and the EventBridge rule that starts
/// restore-blue when an upgrade ends abnormally. The table and the topic come from the world.
/// </summary>
public sealed partial class ProductDeployment
{
    public const string UpgradeStateMachine = "bluegreen-upgrade";
    public const string BakeStateMachine = "bluegreen-bake";
    public const string DecommissionStateMachine = "bluegreen-decommission-cluster";
    public const string RestoreBlueStateMachine = "bluegreen-restore-blue";
    public const string RestoreBlueRule = "bluegreen-restore-blue-on-abnormal-end";
    public const string TableName = "bluegreen-upgrades";
    public const string TopicName = "bluegreen-notifications";

    /// <summary>Blue's delayed-decommission schedules are named this plus the run id.</summary>
    public const string DecommissionSchedulePrefix = BlueGreen.Functions.Decommission.DecommissionPlanner.DefaultSchedulePrefix;
    public const string FunctionAlias = "live";

    /// <summary>The upgrade's execution role; the world's EKS records it as the creator of clusters the workflow creates.</summary>
    public const string UpgradeRoleName = "bluegreen-upgrade-state-machine";

    private ProductDeployment(SimulatedAccount account, IReadOnlyDictionary<string, string> substitutions, string upgradeArn)
    {
        Account = account;
        Substitutions = substitutions;
        UpgradeStateMachineArn = upgradeArn;
    }

    public SimulatedAccount Account { get; }

    /// <summary>Every <c>${Placeholder}</c> of the state machine files and its value in this account.</summary>
    public IReadOnlyDictionary<string, string> Substitutions { get; }

    public string UpgradeStateMachineArn { get; }

    /// <summary>The state machine files, by the name they are deployed under.</summary>
    public static IReadOnlyDictionary<string, string> DefinitionFiles { get; } = new Dictionary<string, string>
    {
        [UpgradeStateMachine] = "statemachines/upgrade.asl.json",
        [BakeStateMachine] = "statemachines/bake.asl.json",
        [DecommissionStateMachine] = "statemachines/decommission-cluster.asl.json",
        [RestoreBlueStateMachine] = "statemachines/restore-blue.asl.json",
    };

    public static ProductDeployment Deploy(SimulatedAccount account)
    {
        var lambda = account.Service<LambdaService>();
        var sfn = account.Service<StepFunctionsService>();
        var substitutions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["UpgradeTableName"] = TableName,
            ["NotificationTopicArn"] = account.Arn("sns", TopicName),
            ["BakeStateMachineArn"] = account.StepFunctions.StateMachineArn(BakeStateMachine),
            ["DecommissionStateMachineArn"] = account.StepFunctions.StateMachineArn(DecommissionStateMachine),
            ["SchedulerRoleArn"] = $"arn:aws:iam::{account.AccountId}:role/bluegreen-scheduler",
            ["DecommissionSchedulePrefix"] = DecommissionSchedulePrefix,
        };

        foreach (var function in FunctionCatalog.All)
        {
            var name = FunctionName(function.Name);
            lambda.RegisterFunction(name, function.Invoke, new LambdaFunctionOptions
            {
                Aliases = [FunctionAlias],
                Handler = function.Handler,
                TimeoutSeconds = 30,
                Description = $"Blue/Green upgrade decision: {function.Name}",
            });
            substitutions[function.DefinitionSubstitution] = lambda.FunctionArn(name, FunctionAlias);
        }

        var role = $"arn:aws:iam::{account.AccountId}:role/{UpgradeRoleName}";
        foreach (var (name, file) in DefinitionFiles)
        {
            sfn.RegisterStateMachine(name, Substitute(File.ReadAllText(Path.Combine(BuildInfo.RepositoryRoot, file)), substitutions, file), role);
        }

        var upgradeArn = account.StepFunctions.StateMachineArn(UpgradeStateMachine);
        account.Service<EventBridgeService>().AddRule(RestoreBlueRule,
            JObject.Of(
                ("source", JArray.Of("aws.states")),
                ("detail-type", JArray.Of("Step Functions Execution Status Change")),
                ("detail", JObject.Of(("stateMachineArn", JArray.Of(upgradeArn)), ("status", JArray.Of("FAILED", "TIMED_OUT", "ABORTED"))))),
            account.StepFunctions.StateMachineArn(RestoreBlueStateMachine));
        return new ProductDeployment(account, substitutions, upgradeArn);
    }

    /// <summary><c>PlanUpgrade</c> is deployed as <c>bluegreen-plan-upgrade</c>.</summary>
    public static string FunctionName(string catalogName) => "bluegreen-" + KebabBoundary().Replace(catalogName, "-$1").ToLowerInvariant();

    /// <summary>Replaces every <c>${Name}</c>; a placeholder without a value is a deployment bug, reported as such.</summary>
    public static string Substitute(string definition, IReadOnlyDictionary<string, string> substitutions, string file)
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var result = Placeholder().Replace(definition, m =>
        {
            if (substitutions.TryGetValue(m.Groups[1].Value, out var value))
            {
                return value;
            }

            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        return missing.Count == 0 ? result : throw new InvalidOperationException($"{file} uses placeholders with no value: {string.Join(", ", missing)}.");
    }

    /// <summary>The placeholders a definition uses, in order of first use.</summary>
    public static IReadOnlyList<string> PlaceholdersIn(string definition) =>
        Placeholder().Matches(definition).Select(m => m.Groups[1].Value).Distinct().ToList();

    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();

    internal static string DescribeError(StatesException e) => $"{e.Error}: {e.Cause}";
}
