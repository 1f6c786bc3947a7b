using System.Globalization;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;
using Spectre.Console;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// The rehearsal as a person watches it: each stage of the upgrade as it starts (state names read as
/// sentences), Green's health as it improves, traffic as a bar, alarms as they change, the chat
/// transcript, and a final summary with the run record. Loops are shown once, not once per poll.
/// </summary>
public sealed class ConsoleProgress(IAnsiConsole console) : IRehearsalObserver
{
    /// <summary>Longer causes are cut (a child's full output can be large); 100 problems of 40 characters fit.</summary>
    private const int MaxCauseLength = 4_000;

    // States that repeat every poll or step; their first entry is enough, the lines below say the rest.
    private static readonly HashSet<string> QuietStates = new(StringComparer.Ordinal)
    {
        "Check Green's health", "Evaluate Green's health", "Wait before checking Green again", "Start the health clock",
        "Wait for the DNS change to propagate", "Is the DNS change in sync?", "Keep baking", "Start the bake",
        "Plan this step's traffic change", "Record the step as started", "Record the new weights",
        "Shift the listener rule's weights", "Shift the listener's default weights", "Shift the DNS weights",
        "Notify: traffic moved", "Bake while watching the alarms", "Step done",
    };

    private readonly HashSet<string> _shown = new(StringComparer.Ordinal);
    private UpgradeRehearsal? _rehearsal;
    private string? _lastHealth;
    private string? _lastWeights;

    public void Started(UpgradeRehearsal rehearsal)
    {
        _rehearsal = rehearsal;
        var input = rehearsal.Input as JObject;
        var traffic = input?.GetObject("traffic")?.GetString("type") ?? "?";
        // With --input the scenario only lends its world: the header names what this input upgrades, and in which world.
        var title = rehearsal.ScenarioInput ? rehearsal.Scenario.Name
            : $"{input?.GetString("clusterName") ?? "?"} to {input?.GetString("targetVersion") ?? "?"} ({traffic}), world {rehearsal.Scenario.Raw.GetString("world") ?? rehearsal.Scenario.Name}";
        console.Write(new Rule($"[bold]Rehearsal[/] [aqua]{Markup.Escape(title)}[/]").LeftJustified());
        if (rehearsal.ScenarioInput && rehearsal.Scenario.Description is { } description)
        {
            console.MarkupLine($"[grey]{Markup.Escape(description)}[/]");
        }

        console.MarkupLine($"Upgrading [bold]{Markup.Escape(input?.GetString("clusterName") ?? "?")}[/] to Kubernetes [bold]{Markup.Escape(input?.GetString("targetVersion") ?? "?")}[/] "
            + $"with {Markup.Escape(traffic)} traffic, in account {rehearsal.Account.AccountId} ({rehearsal.Account.Region}), virtual start {Clock(rehearsal.Account.Scheduler.Now)} UTC");
        console.WriteLine();

        rehearsal.Upgrade!.EventRecorded += OnUpgradeEvent;
        rehearsal.Account.Events.Subscribe(OnAwsEvent);
        rehearsal.Account.Calls.Recorded += OnCall;
        rehearsal.Account.Traffic.Changed += ShowWeights;
        rehearsal.Account.StepFunctions.ExecutionFinished += OnExecutionFinished;
    }

    public void Finished(UpgradeRehearsal rehearsal, RehearsalSummary summary)
    {
        console.WriteLine();
        var colour = summary.Outcome switch { "Completed" => "green", "Planned" => "aqua", "RolledBack" => "yellow", _ => "red" };
        console.Write(new Rule($"[bold {colour}]{summary.Outcome}[/]").LeftJustified());
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        table.AddRow("execution", $"{summary.Status}{(summary.Error is null ? string.Empty : $" [red]{Markup.Escape(summary.Error)}[/]")}");
        if (summary.Cause is { } cause)
        {
            // Whole: a validation error lists every problem on its own line, and the last one matters as much as the first.
            table.AddRow("cause", Markup.Escape(cause.Length > MaxCauseLength ? cause[..MaxCauseLength] + $"... ({cause.Length - MaxCauseLength} more characters in --json)" : cause));
        }

        table.AddRow("final traffic", summary.FinalWeights is { } w ? $"Blue {w.Blue:0.#}% / Green {w.Green:0.#}%" : "-");
        table.AddRow("virtual time", TimeSpan.FromSeconds(summary.VirtualSeconds).ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) + $"  (wall {summary.WallMilliseconds / 1000:0.00} s)");
        table.AddRow("state transitions", $"{summary.StateTransitions} ({summary.UpgradeStateTransitions} upgrade + {summary.StateTransitions - summary.UpgradeStateTransitions} in {summary.ChildExecutions} child executions)");
        table.AddRow("history events", $"{summary.HistoryEvents} in the upgrade; {summary.TotalHistoryEvents} with its children; largest single history {summary.MaxHistoryEventsPerExecution}");
        table.AddRow("AWS calls", $"{summary.AwsCalls.Count} ({summary.MutatingAwsCalls} mutating), {summary.LambdaInvocations} Lambda invocations");
        if (summary.AlarmReaction is { } reaction)
        {
            var eventPath = reaction.EventSecondsToBlue is { } seconds ? $"; alarm-rollback (the alarm's event) had 100% Blue {seconds:0.#} s after the alarm" : string.Empty;
            table.AddRow("alarm reaction", $"{Markup.Escape(reaction.Alarm)}: the bake's decision {reaction.SecondsToDecision:0} s after the alarm, 100% Blue {reaction.TransitionsToBlue} transition(s) later{eventPath}");
        }

        foreach (var denial in summary.Denials)
        {
            // IAM refused this call: the deployed role lacks the permission (or a Deny names it).
            table.AddRow("[red]access denied[/]", Markup.Escape(denial.ToString()));
        }

        foreach (var other in summary.OtherExecutions)
        {
            table.AddRow("also ran", Markup.Escape($"{other.StateMachine}/{other.Name}: {other.Status}{(other.Error is null ? string.Empty : " " + other.Error)}"));
        }

        console.Write(table);
        if (summary.RunRecord?.GetString("report") is { } report)
        {
            // What the run set out to do (DescribePlan), as the start notification and the run record carry it.
            console.Write(new Panel(Markup.Escape(report)).Header("[bold]plan[/]").Border(BoxBorder.Rounded).Expand());
        }

        if (summary.RunRecord is { } record)
        {
            var run = new Table().Border(TableBorder.Rounded).Title("[bold]run record[/]").AddColumn("attribute").AddColumn("value");
            foreach (var key in (string[])["runId", "status", "outcome", "phase", "weights", "steps", "approvals", "requestedBy", "reason", "startedAt", "finishedAt"])
            {
                if (record[key] is { } value && value is not JNull)
                {
                    var text = key == "reason" ? RunPicture.ReasonOf(record)! : value is JString s ? s.Value : value.ToJson();
                    run.AddRow(key, Markup.Escape(text.Length > 160 ? text[..160] + "..." : text));
                }
            }

            console.Write(run);
        }
    }

    private void OnUpgradeEvent(Execution execution, HistoryEvent e)
    {
        if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal) && e.StateName is { } name)
        {
            var first = _shown.Add(name);
            var alwaysShow = name.Contains("back on Blue", StringComparison.Ordinal) || name.StartsWith("Record the run as", StringComparison.Ordinal)
                || name.Contains("fail", StringComparison.OrdinalIgnoreCase) || name.Contains("refus", StringComparison.OrdinalIgnoreCase);
            if ((first && !QuietStates.Contains(name) && !e.Type.StartsWith("Choice", StringComparison.Ordinal) && !e.Type.StartsWith("Pass", StringComparison.Ordinal))
                || (first && name is "Check Green's health" or "Bake while watching the alarms")
                || (alwaysShow && !e.Type.StartsWith("Choice", StringComparison.Ordinal)))
            {
                Line("▶", "white", name);
            }
        }
        else if (e.Type == "TaskSucceeded" && e.StateName == "Evaluate Green's health" && e.Data is JObject output && output.GetObject("Payload") is { } verdict)
        {
            var healthy = verdict.GetBool("healthy") == true;
            var text = healthy ? "Green is healthy" : "waiting: " + string.Join("; ", (verdict.GetArray("reasons") ?? JArray.Empty).OfType<JString>().Select(r => r.Value));
            if (text != _lastHealth)
            {
                _lastHealth = text;
                Line(healthy ? "✓" : "…", healthy ? "green" : "grey", text);
            }
        }
        else if (e.Type is "ExecutionFailed" or "ExecutionSucceeded" or "ExecutionAborted" or "ExecutionTimedOut")
        {
            Line(e.Type == "ExecutionSucceeded" ? "■" : "✗", e.Type == "ExecutionSucceeded" ? "green" : "red",
                e.Type + (e.Error is null ? string.Empty : $": {e.Error}"));
        }
    }

    private void OnAwsEvent(AwsEvent e)
    {
        if (e.DetailType == "CloudWatch Alarm State Change")
        {
            var state = e.Detail.GetObject("state")?.GetString("value");
            var previous = e.Detail.GetObject("previousState")?.GetString("value");
            Line("⚠", state == "ALARM" ? "red" : "green", $"alarm {e.Detail.GetString("alarmName")}: {previous} → {state}");
        }
    }

    private void OnCall(AwsCallRecord call)
    {
        if (call.Name == "sns:Publish" && call.Succeeded && call.Parameters.GetString("Subject") is { } subject)
        {
            Line("💬", "aqua", subject);
        }
    }

    private void OnExecutionFinished(Execution execution)
    {
        if (_rehearsal?.Deployment is { } deployment && (execution.StateMachineName == deployment.RestoreBlueStateMachine || execution.StateMachineName == deployment.DecommissionStateMachine))
        {
            Line("■", execution.Status == ExecutionStatus.Succeeded ? "green" : "red", $"{execution.StateMachineName}: {execution.StatusName}");
        }
        else if (_rehearsal?.Deployment is { } d && execution.StateMachineName == d.ReconcileStateMachine)
        {
            var summary = (execution.Output as JObject)?.GetString("summary");
            Line("■", execution.Status == ExecutionStatus.Succeeded ? "green" : "red", $"{execution.StateMachineName}: {execution.StatusName}{(summary is null ? string.Empty : " · " + summary)}");
        }
    }

    private void ShowWeights()
    {
        if (_rehearsal is null || TrafficProbe.Weights(_rehearsal.Account, _rehearsal.Input) is not { } w)
        {
            return;
        }

        var text = $"{w.Blue:0.#}/{w.Green:0.#}";
        if (text == _lastWeights)
        {
            return;
        }

        _lastWeights = text;
        const int Width = 30;
        var green = (int)Math.Round(w.Green / 100 * Width);
        // The bar fills with Green's share as Green takes over (solid, green); Blue's remainder is shaded blue. Distinct
        // glyphs as well as colours, so the bar still reads in a plain CI log.
        Line("⇄", "white", $"[green]{new string('█', green)}[/][blue]{new string('░', Width - green)}[/] Blue {w.Blue:0.#}% · Green {w.Green:0.#}%", markup: true);
    }

    private void Line(string symbol, string colour, string text, bool markup = false)
    {
        var now = _rehearsal?.Account.Scheduler.Now ?? DateTimeOffset.UtcNow;
        var elapsed = _rehearsal?.Upgrade is { } upgrade ? now - upgrade.StartDate : TimeSpan.Zero;
        console.MarkupLine($"[grey]{Clock(now)} +{elapsed.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)}[/] [{colour}]{symbol}[/] {(markup ? text : Markup.Escape(text))}");
    }

    private static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
