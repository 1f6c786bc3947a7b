using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Tests.Aws.Services;

/// <summary>An account with every simulated service, and the few ways tests drive it: state machines, direct calls, the clock.</summary>
internal sealed class PlatformHarness : IDisposable
{
    public const string Region = "ap-northeast-2";
    public const string AccountId = "111122223333";

    /// <param name="eventDeliverySeconds">EventBridge's modelled delivery latency; service tests see deliveries at once.</param>
    public PlatformHarness(JObject? services = null, JArray? events = null, double eventDeliverySeconds = 0)
    {
        var raw = new JObjectBuilder().Add("services", services ?? JObject.Empty).Add("eventDeliverySeconds", eventDeliverySeconds);
        if (events is not null)
        {
            raw.Add("events", events);
        }

        Account = AccountFactory.Create(Scenario.FromJson("test", raw.Build()));
    }

    public SimulatedAccount Account { get; }

    public DateTimeOffset Start => Account.Options.Start;

    public T Service<T>() where T : IAwsService => Account.Service<T>();

    public void Dispose() => Account.Dispose();

    /// <summary>Runs <paramref name="definition"/> as an ad-hoc execution until it ends.</summary>
    public RunSummary Run(string definition, JValue? input = null) =>
        LocalRunner.Run(Account.StepFunctions, DefinitionLoader.Load(definition), input ?? JObject.Empty, new StartExecutionOptions());

    /// <summary>Calls an action the way an SDK integration does (validation, faults, call log, error renaming).</summary>
    public JObject Call(string sdkName, string action, JObject parameters) =>
        (JObject)Account.Scheduler.Run(() => Account.CallAsync(Account.ServiceBySdkName(sdkName)!, action, parameters, Context()));

    /// <summary>A call expected to fail: the error as a Catch would see it.</summary>
    public StatesException CallFails(string sdkName, string action, JObject parameters) =>
        Assert.Throws<StatesException>(() => Call(sdkName, action, parameters));

    /// <summary>Moves the virtual clock forward, running everything due on the way.</summary>
    public void Advance(TimeSpan span) => Account.Scheduler.Advance(span);

    /// <summary>Runs whatever is runnable now (posted work, deliveries) without moving the clock.</summary>
    public void Settle() => Account.Scheduler.Advance(TimeSpan.Zero);

    /// <summary>Runs until <paramref name="execution"/> ends.</summary>
    public void Finish(Execution execution) => Account.Scheduler.Run(() => execution.Completion);

    private AwsCallContext Context() => new() { Account = Account, Cancellation = CancellationToken.None };

    public static string Arn(string service, string resource) => $"arn:aws:{service}:{Region}:{AccountId}:{resource}";
}
