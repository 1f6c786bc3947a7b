using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using BlueGreen.Simulator.Asl;
using BlueGreen.Simulator.Asl.Definition;
using BlueGreen.Simulator.Asl.Runtime;
using BlueGreen.Simulator.Aws;
using BlueGreen.Simulator.Aws.Models;
using BlueGreen.Simulator.Aws.Services.Sns;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Json;
using BlueGreen.Simulator.Scenarios;

namespace BlueGreen.Simulator.Cli;

/// <summary>
/// <c>bench</c>: the engine's throughput and memory, measured the same way every time and reported as
/// medians (these machines are shared and noisy). Targets: at least 100,000 state transitions per
/// second on one core, under 64 MiB of managed memory for an execution at the 25,000-event quota, and
/// under 50 µs for one simulated AWS call through the account's whole pipeline. Also dynalite's round trip:
/// what one DynamoDB task costs in real time.
/// </summary>
public static partial class BenchCommand
{
    /// <summary>A counter loop of Choice and Pass states; each round trip is two state transitions.</summary>
    public static string CounterLoop(long limit) => $$"""
        {
          "Comment": "Counts to a limit: one Choice and one Pass per step.",
          "StartAt": "Start counting",
          "States": {
            "Start counting": { "Type": "Pass", "Result": { "i": 0 }, "Next": "Reached the limit?" },
            "Reached the limit?": {
              "Type": "Choice",
              "Choices": [ { "Variable": "$.i", "NumericGreaterThanEquals": {{limit}}, "Next": "Done" } ],
              "Default": "Add one"
            },
            "Add one": { "Type": "Pass", "Parameters": { "i.$": "States.MathAdd($.i, 1)" }, "Next": "Reached the limit?" },
            "Done": { "Type": "Succeed" }
          }
        }
        """;

    private static readonly Option<long> TransitionsOption = CliOptions.Number("--transitions", "State transitions per throughput run (the counter loop).", 100_000L);

    private static readonly Option<int> RunsOption = CliOptions.Number("--runs", "Throughput runs; the median is reported.", 7);

    private static readonly Option<int> CallsOption = CliOptions.Number("--calls", "Simulated AWS calls timed for the per-call cost (at least 1).", 50_000);

    private static readonly Option<int> ChatRequestsOption = CliOptions.Number("--chat-requests", "Chat endpoint requests timed one by one for p50/p99 (at least 1).", 300);

    internal static Command Definition()
    {
        var command = new Command("bench", CliOptions.Prose("""
            Measures the engine and prints one JSON object of medians.
            State transitions per second (target: 100,000 on one core), memory at the 25,000-event history quota (under 64 MiB),
            the median cost of one simulated AWS call through the account's whole pipeline (validation, faults, service, call
            log; under 50 µs), dynalite's round trip, and the chat endpoint's p50/p99 per request (the packaged function,
            DynamoDB on dynalite; p99 under 50 ms).

            Exit codes: 0 when measured, 64 for a usage error.
            """))
        {
            TransitionsOption, RunsOption, CallsOption, ChatRequestsOption,
        };
        command.SetAction(r => Run(r, r.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>As <c>bench ARGS</c> on the command line, with exceptions thrown rather than printed.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout) => SimulatorCli.Invoke(["bench", .. args], stdout);

    private static int Run(ParseResult cl, TextWriter stdout)
    {
        var transitions = cl.GetValue(TransitionsOption);
        var runs = cl.GetValue(RunsOption);
        var calls = cl.GetValue(CallsOption);
        var chatRequests = cl.GetValue(ChatRequestsOption);
        if (calls < 1)
        {
            throw new UsageException("--calls must be at least 1.");
        }

        var throughput = MeasureThroughput(transitions, runs);
        var memory = MeasureHistoryQuotaMemory();
        var call = MeasureSimulatedCall(calls);
        var dynamoDb = MeasureDynamoDbRoundTrip();
        var chat = MeasureChatEndpoint(chatRequests);
        var result = JObject.Of(
            ("throughput", throughput),
            ("historyQuota", memory),
            ("simulatedCall", call),
            ("dynamoDbRoundTrip", dynamoDb),
            ("chatEndpoint", chat));
        stdout.WriteLine(result.ToIndentedJson());
        return 0;
    }

    /// <summary>Median transitions per second over <paramref name="runs"/> timed runs, after one warm-up.</summary>
    public static JObject MeasureThroughput(long transitions, int runs)
    {
        var definition = DefinitionLoader.Load(CounterLoop(transitions / 2));
        var options = new EngineOptions { MaxHistoryEvents = 0 }; // the loop is longer than a Standard history allows
        RunOnce(definition, options); // warm-up: JIT and tiering
        var rates = new List<double>();
        long counted = 0;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var summary = RunOnce(definition, options);
            sw.Stop();
            counted = summary.StateTransitions;
            rates.Add(summary.StateTransitions / sw.Elapsed.TotalSeconds);
        }

        rates.Sort();
        return JObject.Of(
            ("stateTransitions", counted),
            ("runs", runs),
            ("medianTransitionsPerSecond", Math.Round(rates[rates.Count / 2])),
            ("minTransitionsPerSecond", Math.Round(rates[0])),
            ("maxTransitionsPerSecond", Math.Round(rates[^1])),
            ("target", 100_000),
            ("historyKept", true));
    }

    /// <summary>Runs a loop until the 25,000-event quota stops it and measures the heap it leaves alive.</summary>
    public static JObject MeasureHistoryQuotaMemory()
    {
        var definition = DefinitionLoader.Load(CounterLoop(1_000_000));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var scheduler = new VirtualScheduler(LocalRunner.DefaultStart);
        var engine = new StepFunctionsEngine(scheduler, new TaskRegistry());
        var execution = engine.StartExecution(definition, JObject.Empty);
        scheduler.Run(() => execution.Completion);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        GC.KeepAlive(execution);
        return JObject.Of(
            ("status", execution.StatusName),
            ("error", execution.Error ?? string.Empty),
            ("historyEvents", execution.History.Count),
            ("retainedManagedMiB", Math.Round((after - before) / 1048576.0, 2)),
            ("allocatedMiB", Math.Round(allocated / 1048576.0, 2)),
            ("targetMiB", 64));
    }

    /// <summary>
    /// The in-process cost of one SDK-integration call through <see cref="SimulatedAccount.CallAsync"/>:
    /// validation against the SNS API model, the fault check, SNS Publish and the call log. Each call is
    /// timed on its own after a warm-up of a tenth as many; the median is the figure to read.
    /// </summary>
    public static JObject MeasureSimulatedCall(int calls)
    {
        using var account = AccountFactory.Create(Scenario.FromJson("bench", JObject.Of(
            ("services", JObject.Of(("sns", JObject.Of(("topics", JArray.Of(JObject.Of(("name", "bluegreen-notifications")))))))))));
        var sns = account.Service<SnsService>();
        var parameters = JObject.Of(
            ("TopicArn", account.Arn("sns", "bluegreen-notifications")),
            ("Subject", "Traffic shifted"),
            ("Message", """{"cluster":"shop-blue","step":3,"weights":{"blue":70,"green":30}}"""),
            ("MessageAttributes", JObject.Of(("cluster", JObject.Of(("DataType", "String"), ("StringValue", "shop-blue"))))));
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "Notify operators" };

        void Call()
        {
            var task = account.CallAsync(sns, "Publish", parameters, context);
            if (!task.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("SNS Publish was expected to complete synchronously and succeed.");
            }
        }

        for (var i = 0; i < Math.Max(1, calls / 10); i++)
        {
            Call();
        }

        var micros = new double[calls];
        var validation = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Call();
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            account.Validator!.Validate("sns", "Publish", parameters);
            validation[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        var load = Stopwatch.StartNew();
        var catalog = ApiModelCatalog.FromEmbeddedResources();
        foreach (var sdkName in catalog.SdkNames)
        {
            catalog.Find(sdkName);
        }

        load.Stop();
        Array.Sort(micros);
        Array.Sort(validation);
        return JObject.Of(
            ("calls", calls),
            ("pipeline", "model validation, fault check, SNS Publish, call log"),
            ("medianMicroseconds", Math.Round(micros[calls / 2], 2)),
            ("p90Microseconds", Math.Round(micros[(int)(calls * 0.9)], 2)),
            ("p99Microseconds", Math.Round(micros[(int)(calls * 0.99)], 2)),
            ("validationMedianMicroseconds", Math.Round(validation[calls / 2], 2)),
            ("allModelsLoadMilliseconds", Math.Round(load.Elapsed.TotalMilliseconds, 1)),
            ("targetMicroseconds", 50));
    }

    /// <summary>
    /// Real milliseconds for one PutItem plus one GetItem through the account pipeline (validation, faults,
    /// call log, HTTP to dynalite and back), median of <paramref name="pairs"/> after a warm-up; also
    /// dynalite's start-up time. Reports an error instead when Node.js or dynalite is missing.
    /// </summary>
    public static JObject MeasureDynamoDbRoundTrip(int pairs = 300, int warmUp = 100)
    {
        using var account = AccountFactory.Create();
        var service = account.Service<DynamoDbService>();
        var context = new AwsCallContext { Account = account, Cancellation = CancellationToken.None, StateName = "bench" };
        var key = JObject.Of(("pk", JObject.Of(("S", "bench"))));
        var timings = new List<double>(pairs);
        try
        {
            account.Scheduler.Run(async () =>
            {
                await account.CallAsync(service, "CreateTable", JObject.Of(
                    ("TableName", "bench"),
                    ("AttributeDefinitions", JArray.Of(JObject.Of(("AttributeName", "pk"), ("AttributeType", "S")))),
                    ("KeySchema", JArray.Of(JObject.Of(("AttributeName", "pk"), ("KeyType", "HASH")))),
                    ("BillingMode", "PAY_PER_REQUEST")), context);
                for (var i = 0; i < warmUp + pairs; i++)
                {
                    var item = key.With("attempt", JObject.Of(("N", i.ToString(CultureInfo.InvariantCulture))));
                    var sw = Stopwatch.StartNew();
                    await account.CallAsync(service, "PutItem", JObject.Of(("TableName", "bench"), ("Item", item)), context);
                    await account.CallAsync(service, "GetItem", JObject.Of(("TableName", "bench"), ("Key", key), ("ConsistentRead", true)), context);
                    sw.Stop();
                    if (i >= warmUp)
                    {
                        timings.Add(sw.Elapsed.TotalMilliseconds);
                    }
                }
            });
        }
        catch (StatesException e)
        {
            return JObject.Of(("error", e.Message));
        }

        timings.Sort();
        return JObject.Of(
            ("pairs", pairs),
            ("warmUpPairs", warmUp),
            ("medianMilliseconds", Math.Round(timings[timings.Count / 2], 3)),
            ("p90Milliseconds", Math.Round(timings[timings.Count * 9 / 10], 3)),
            ("minMilliseconds", Math.Round(timings[0], 3)),
            ("dynaliteStartupMilliseconds", Math.Round(service.Host!.StartupTime.TotalMilliseconds, 1)));
    }

    private static RunSummary RunOnce(StateMachineDefinition definition, EngineOptions options)
    {
        var scheduler = new VirtualScheduler(LocalRunner.DefaultStart);
        var engine = new StepFunctionsEngine(scheduler, new TaskRegistry(), options);
        return LocalRunner.Run(engine, definition, JObject.Empty, new StartExecutionOptions());
    }
}
