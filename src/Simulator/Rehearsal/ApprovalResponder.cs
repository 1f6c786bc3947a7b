using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// <c>rehearse --approve yes|no|timeout</c>: answers every approval the upgrade asks for, so an input with approvals can be
/// rehearsed without a scenario that schedules <c>approve</c> events. A minute after the gate publishes its question
/// (the <c>sns:Publish</c> of ask-approval's state <see cref="QuestionState"/>), it does what an approver does
/// with the message: <c>yes</c> sends SendTaskSuccess with <c>{"approved": true}</c>, <c>no</c> sends SendTaskFailure
/// (<c>Rejected</c>), <c>timeout</c> sends nothing and lets the task's timeout refuse. It uses the scenario operator's
/// <c>approve</c> and <c>reject</c> actions, which find the open token the way an operator finds it in the message.
/// </summary>
public static class ApprovalResponder
{
    public const string QuestionState = "Post the question to the ops channel";

    public static IReadOnlyList<string> Answers { get; } = ["yes", "no", "timeout"];

    /// <summary>How long the simulated approver takes to answer.</summary>
    public static TimeSpan Delay { get; } = TimeSpan.FromMinutes(1);

    public static void Attach(SimulatedAccount account, string answer)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!Answers.Contains(answer))
        {
            throw new ArgumentException($"--approve takes {string.Join(", ", Answers)}; not '{answer}'.", nameof(answer));
        }

        if (answer == "timeout")
        {
            return;
        }

        account.Calls.Recorded += call =>
        {
            if (call.Name != "sns:Publish" || call.StateName != QuestionState || !call.Succeeded)
            {
                return;
            }

            account.Scheduler.Schedule(account.Scheduler.Now + Delay, () =>
            {
                var (action, arguments) = answer == "yes"
                    ? ("approve", JObject.Of(("output", JObject.Of(("approved", true), ("approvedBy", "rehearse --approve yes")))))
                    : ("reject", JObject.Of(("error", "Rejected"), ("cause", "Refused by rehearse --approve no")));
                if (account.TryGetEventAction(action, out var perform))
                {
                    perform(arguments);
                }
            });
        };
    }
}
