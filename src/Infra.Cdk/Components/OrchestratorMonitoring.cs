using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace BlueGreen.Infra.Cdk.Components;

/// <summary>
/// Alarms on the orchestrator itself (not on the workloads it upgrades) and an operator dashboard. Every alarm
/// notifies the same topic as the runs, so the Slack channel shows them too.
/// </summary>
public sealed class OrchestratorMonitoring : Construct
{
    public OrchestratorMonitoring(
        Construct scope,
        string id,
        string prefix,
        ITopic topic,
        IReadOnlyDictionary<string, StateMachine> stateMachines,
        IReadOnlyList<DeployedFunction> functions,
        IQueue restoreBlueDeadLetters,
        IQueue reconcileDeadLetters,
        IQueue alarmRollbackDeadLetters,
        IQueue scheduleDeadLetters,
        IReadOnlyList<(string Target, string RuleName)> safetyNetRules)
        : base(scope, id)
    {
        var action = new SnsAction(topic);
        var alarms = new List<IAlarm>();
        Alarm Add(Alarm alarm)
        {
            alarm.AddAlarmAction(action);
            alarms.Add(alarm);
            return alarm;
        }

        var fiveMinutes = Duration.Minutes(5);

        // An upgrade that ends FAILED is often the workflow doing its job (a rollback is a FAILED execution with
        // UpgradeRolledBack); operators still want to look at each one. TIMED_OUT and ABORTED mean nobody
        // finished the run: restore-blue has taken over. Any restore-blue failure means traffic may be split; a reconcile-run
        // failure, that a run record or a lock may still not match how the upgrade ended (start it again by hand).
        foreach (var name in new[] { "upgrade", "restore-blue", "reconcile-run", "decommission-cluster" })
        {
            var machine = stateMachines[name];
            var title = $"{prefix}-{name}";
            Add(machine.MetricFailed(new MetricOptions { Period = fiveMinutes, Statistic = "Sum" }).CreateAlarm(this, $"{name}-failed", new CreateAlarmOptions
            {
                AlarmName = $"{title}-executions-failed",
                AlarmDescription = $"An execution of {title} ended FAILED. Open the execution in the Step Functions console; the run record in DynamoDB has the reason.",
                Threshold = 1,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
            Add(machine.MetricTimedOut(new MetricOptions { Period = fiveMinutes, Statistic = "Sum" }).CreateAlarm(this, $"{name}-timed-out", new CreateAlarmOptions
            {
                AlarmName = $"{title}-executions-timed-out",
                AlarmDescription = $"An execution of {title} timed out.",
                Threshold = 1,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
            Add(machine.MetricAborted(new MetricOptions { Period = fiveMinutes, Statistic = "Sum" }).CreateAlarm(this, $"{name}-aborted", new CreateAlarmOptions
            {
                AlarmName = $"{title}-executions-aborted",
                AlarmDescription = $"An execution of {title} was stopped (aborted).",
                Threshold = 1,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
        }

        foreach (var f in functions)
        {
            // Decision errors (InvalidInput, AlarmFired verdicts...) are Lambda errors by design, so one is not an
            // incident; several in a quarter hour are (a wiring bug, or an input someone keeps retrying).
            Add(f.Function.MetricErrors(new MetricOptions { Period = Duration.Minutes(15), Statistic = "Sum" }).CreateAlarm(this, $"{f.Descriptor.Name}-errors", new CreateAlarmOptions
            {
                AlarmName = $"{f.Function.FunctionName}-errors",
                AlarmDescription = $"{f.Descriptor.Name} failed 5 or more times in 15 minutes.",
                Threshold = 5,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
            Add(f.Function.MetricThrottles(new MetricOptions { Period = fiveMinutes, Statistic = "Sum" }).CreateAlarm(this, $"{f.Descriptor.Name}-throttles", new CreateAlarmOptions
            {
                AlarmName = $"{f.Function.FunctionName}-throttles",
                AlarmDescription = $"{f.Descriptor.Name} was throttled: its reserved concurrency is too small for the upgrades running at once (the state machines retry, but bakes slow down).",
                Threshold = 1,
                EvaluationPeriods = 1,
                ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
            }));
        }

        // Any event EventBridge gave up delivering to a safety net: one alarm per dead-letter queue.
        void AnyAtLeastOne(Metric metric, string id, string name, string description) => Add(metric.CreateAlarm(this, id, new CreateAlarmOptions
        {
            AlarmName = name,
            AlarmDescription = description,
            Threshold = 1,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        }));

        Metric Waiting(IQueue queue) => queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = fiveMinutes, Statistic = "Maximum" });

        AnyAtLeastOne(Waiting(restoreBlueDeadLetters), "restore-blue-undelivered", $"{prefix}-restore-blue-not-started",
            "EventBridge could not start restore-blue after an upgrade ended abnormally: traffic may be split. Start restore-blue by hand with the event in the dead-letter queue.");
        AnyAtLeastOne(Waiting(reconcileDeadLetters), "reconcile-run-undelivered", $"{prefix}-reconcile-run-not-started",
            "EventBridge could not start reconcile-run after an upgrade ended: its run record or lock may not match how it ended. Start reconcile-run by hand with the event in the dead-letter queue.");
        AnyAtLeastOne(Waiting(alarmRollbackDeadLetters), "alarm-rollback-undelivered", $"{prefix}-alarm-rollback-not-started",
            "EventBridge could not start alarm-rollback when an alarm fired: an armed upgrade falls back on its own next alarm check (seconds to minutes later). Look at the event in the dead-letter queue.");
        AnyAtLeastOne(Waiting(scheduleDeadLetters), "schedules-undelivered", $"{prefix}-schedule-not-started",
            "EventBridge Scheduler gave up starting a schedule's target (Blue's decommission, an end-of-support upgrade or the daily scan). The message in the dead-letter queue names the schedule (SCHEDULE_ARN) and carries the input: start that state machine by hand with it, or let the next daily scan re-plan an upgrade.");

        // A target that refuses the rule's role (AccessDenied, a deleted state machine) shows first as failed invocations,
        // before anything reaches the dead-letter queue: EventBridge publishes FailedInvocations per rule in AWS/Events with
        // the RuleName dimension (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html).
        foreach (var (target, ruleName) in safetyNetRules)
        {
            var failed = new Metric(new MetricProps
            {
                Namespace = "AWS/Events",
                MetricName = "FailedInvocations",
                DimensionsMap = new Dictionary<string, string> { ["RuleName"] = ruleName },
                Period = fiveMinutes,
                Statistic = "Sum",
            });
            AnyAtLeastOne(failed, $"{target}-invocations-failing", $"{prefix}-{target}-invocations-failing",
                $"EventBridge failed to start {target} from rule {ruleName} (it retries for 24 hours, then the event goes to the dead-letter queue). Check the rule's role and target.");
        }

        Alarms = alarms;

        var upgrade = stateMachines["upgrade"];
        var restore = stateMachines["restore-blue"];
        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = $"{prefix}-upgrades",
            DefaultInterval = Duration.Days(7),
        });
        Dashboard.AddWidgets(new TextWidget(new TextWidgetProps
        {
            Markdown = $"# EKS Blue/Green upgrades ({prefix})\nStart an upgrade from the **{prefix}-upgrade** state machine in the Step Functions console. "
                       + "A red alarm below is about the orchestrator itself; each run's own outcome is in its execution and its run record.",
            Width = 24,
            Height = 2,
        }));
        Dashboard.AddWidgets(new AlarmStatusWidget(new AlarmStatusWidgetProps { Title = "Orchestrator alarms", Alarms = [.. alarms], Width = 24, Height = 4 }));
        Dashboard.AddWidgets(
            Executions("Upgrades", upgrade),
            Executions("Restore Blue", restore),
            Executions("Decommissions", stateMachines["decommission-cluster"]));
        Dashboard.AddWidgets(
            new GraphWidget(new GraphWidgetProps
            {
                Title = "Upgrade duration (p50, max)",
                Left = [upgrade.MetricTime(new MetricOptions { Statistic = "p50" }), upgrade.MetricTime(new MetricOptions { Statistic = "Maximum" })],
                Width = 8,
            }),
            new GraphWidget(new GraphWidgetProps
            {
                Title = "Decision function errors and throttles",
                Left = functions.Select(f => f.Function.MetricErrors(new MetricOptions { Label = f.Descriptor.Name + " errors", Statistic = "Sum" })).ToArray(),
                Right = functions.Select(f => f.Function.MetricThrottles(new MetricOptions { Label = f.Descriptor.Name + " throttles", Statistic = "Sum" })).ToArray(),
                Width = 8,
            }),
            new GraphWidget(new GraphWidgetProps
            {
                Title = "Decision function duration (p99)",
                Left = functions.Select(f => f.Function.MetricDuration(new MetricOptions { Label = f.Descriptor.Name, Statistic = "p99" })).ToArray(),
                Width = 8,
            }));
    }

    public IReadOnlyList<IAlarm> Alarms { get; }

    public Dashboard Dashboard { get; }

    private static GraphWidget Executions(string title, StateMachine machine) => new(new GraphWidgetProps
    {
        Title = title,
        Left =
        [
            machine.MetricStarted(new MetricOptions { Label = "started", Statistic = "Sum" }),
            machine.MetricSucceeded(new MetricOptions { Label = "succeeded", Statistic = "Sum" }),
            machine.MetricFailed(new MetricOptions { Label = "failed", Statistic = "Sum" }),
            machine.MetricTimedOut(new MetricOptions { Label = "timed out", Statistic = "Sum" }),
            machine.MetricAborted(new MetricOptions { Label = "aborted", Statistic = "Sum" }),
        ],
        Width = 8,
    });
}
