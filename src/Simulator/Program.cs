using BlueGreen.Simulator.Asl.Mocking;
using BlueGreen.Simulator.Cli;

namespace BlueGreen.Simulator;

/// <summary>The local rehearsal platform's command line.</summary>
public static class Program
{
    private const string Usage = """
        Usage:
          rehearse [--scenario NAME|FILE | --world DIR] [--input FILE|JSON] [--template FILE | -c key=value ...]
                   [--speed FACTOR] [--expect OUTCOME] [--state DIR] [--history-out DIR] [--json]
              Rehearses a whole Blue/Green upgrade on the simulated account: the real state machines
              and decision functions against the scenario's world (default: happy-alb), deployed from
              the same manifest as the CDK stack (cdk.json's settings; -c overrides them, as for the
              CDK app) or from a synthesized template (--template cdk.out/<stack>.template.json).
              Every call is authorized against the deployed roles; functions start from their code
              package. Shows live progress; --speed paces the virtual clock (e.g. 60 = a virtual minute
              per second); --json prints only the summary object.
              Exits 0 when the run ended as expected: --expect Completed|RolledBack|RollbackFailed|Failed|Planned, else
              the scenario's expect block (unless --input replaced its input), else outcome Completed;
              1 when it did not (the fields that differ are printed); 64 for a usage or scenario error.
              --world DIR rehearses --input in a world folder (e.g. one made by world import) instead of a scenario's.
              --state DIR keeps the run table in DIR across rehearsals, for runs list.
              --history-out DIR writes each execution's history (the upgrade's and every child's) as
              aws stepfunctions get-execution-history prints it, one DIR/<execution name>.json each, for report --history.
          report --out FILE [--scenario NAME|FILE] [--input FILE|JSON] [--template FILE | -c key=value ...]
          report --out FILE --history SUMMARY
          report --out FILE --history PATH [--history PATH ...]
              Rehearses as rehearse does (or reads SUMMARY, saved from rehearse --json, or the execution histories
              aws stepfunctions get-execution-history --output json saved: files or folders holding the upgrade
              execution's and, where given, its child executions', as rehearse --history-out writes them) and writes one
              self-contained HTML page (inline CSS and SVG, nothing fetched): outcome and duration, traffic
              weights over virtual time (Green's share in green), alarm states as bands, the rollback moment,
              approvals (asked, approved, refused, timed out), the stages and the run record's reason.
              Exits 0 when written, 64 for a usage or scenario error.
          asl run --definition FILE [--input FILE|JSON] [--mock-config FILE --test-case NAME]
                  [--state-machine NAME] [--scenario NAME|FILE] [--history]
          asl run --template FILE [--state-machine NAME] [--input FILE|JSON] [--scenario NAME|FILE] [--history]
              Runs a state machine on the local engine (virtual clock) and prints one JSON object:
              {"status","output","error","cause","stateTransitions","historyEvents","virtualSeconds"}.
              Exits 0 for SUCCEEDED, 1 for FAILED, TIMED_OUT or ABORTED, and 2 for an invalid
              definition (status INVALID, with its diagnostics).
              --scenario runs Tasks against the simulated AWS account seeded from scenarios/NAME.
              --template deploys a synthesized template into that account (default world: happy-alb's)
              and runs its state machine NAME (a deployed name, or the file it came from: upgrade).
          asl validate --definition FILE
              Checks a definition and prints {"result": "OK"|"FAIL", "diagnostics": [...]}.
          bench [--transitions N] [--runs N] [--calls N] [--chat-requests N]
              Measures the engine: state transitions per second, memory at the history quota, and the
              median cost of one simulated AWS call (validation, faults, service, call log); and the chat
              endpoint's p50/p99 per request (the packaged function, DynamoDB on dynalite).
          chat --as USER [--team T] [--channel C] [--scenario NAME|FILE] [--policy FILE] [--json] "TEXT"
              Sends one Slack slash command ("/bluegreen status shop-blue"), signed with the app's signing
              secret, as a function URL request through the real chat function against the simulated
              account, and prints the reply and its audit record. Exits 0 when the command was accepted.
          fleet report [--world NAME] [--at DATE] [--profiles DIR] [--json]
              Each cluster of the world (default: fleet) at the virtual date (default: the world's start):
              version, support status, days to the end of standard and extended support, cost of
              staying, matching profile (profiles/), target, maintenance-window slot and the eos-scan's
              action, decided by the PlanEndOfSupport code the eos-scan state machine runs.
          dynamodb serve [--world NAME | --scenario NAME|FILE] [--json]
              Runs the simulator's DynamoDB (dynalite on 127.0.0.1, with the world's tables) until
              Ctrl-C or SIGTERM and prints the environment variables that point the AWS SDK at it.
          world import DIR [--out WORLD_DIR] [--green-cluster NAME] [--json]
              Builds a world (default DIR/world) from the AWS CLI output tools/capture-world.sh saved in DIR, for
              rehearse --world. Exits 0 when written, 1 when refused (every problem listed), 64 for a usage error.
          runs list --state DIR [--cluster C] [--status S] [--limit N] [--table NAME] [--json]
              The runs rehearse --state DIR kept, newest first, read as docs/operating.md reads the deployed table:
              the runsByTime index across clusters, the table's key for one cluster; --status filters (default limit 20).
        """;

    public static int Main(string[] args)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                Console.Out.WriteLine(Usage);
                return args.Length == 0 ? 64 : 0;
            }

            return args[0] switch
            {
                "asl" => AslCommand.Run(args[1..], Console.Out),
                "bench" => BenchCommand.Run(args[1..], Console.Out),
                "rehearse" => RehearseCommand.Run(args[1..], Console.Out),
                "report" => ReportCommand.Run(args[1..], Console.Out),
                "chat" => ChatCli.Run(args[1..], Console.Out),
                "dynamodb" => DynamoDbCommand.Run(args[1..], Console.Out, Console.Error),
                "world" => WorldCommand.Run(args[1..], Console.Out, Console.Error),
                "runs" => RunsCommand.Run(args[1..], Console.Out),
                "fleet" => FleetCommand.Run(args[1..], Console.Out, Console.Error),
                _ => throw new UsageException($"Unknown command '{args[0]}'."),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 64;
        }
        catch (Scenarios.ScenarioException e)
        {
            Console.Error.WriteLine(e.Message);
            return 64;
        }
        catch (Rehearsal.Template.TemplateException e)
        {
            Console.Error.WriteLine($"Template: {e.Message}");
            return 64;
        }
        catch (BlueGreen.Deployment.Configuration.InvalidDeploymentSettingsException e)
        {
            Console.Error.WriteLine(e.Message);
            return 64;
        }
        catch (Rehearsal.RunTableException e)
        {
            Console.Error.WriteLine(e.Message);
            return 64;
        }
        catch (MockConfigException e)
        {
            Console.Error.WriteLine($"Mock configuration: {e.Message}");
            return 64;
        }
    }
}
