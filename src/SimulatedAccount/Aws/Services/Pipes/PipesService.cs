using BlueGreen.Simulator.Aws.Iam;
using BlueGreen.Simulator.Aws.Services.DynamoDb;
using BlueGreen.Simulator.Aws.Services.EventBridge;
using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Aws.Services.Pipes;

/// <summary>
/// A pipe as CreatePipe describes it (members of the EventBridge Pipes API: Source with
/// <c>SourceParameters.DynamoDBStreamParameters</c> {StartingPosition, BatchSize, MaximumRetryAttempts} and
/// <c>FilterCriteria.Filters[].Pattern</c>, Target with <c>TargetParameters.StepFunctionStateMachineParameters.InvocationType</c>,
/// RoleArn). Only the DynamoDB stream source and the state machine target are simulated.
/// </summary>
public sealed record PipeDefinition(string Name, string RoleArn, string SourceStreamArn, string StartingPosition, int BatchSize, int MaximumRetryAttempts,
    IReadOnlyList<string> FilterPatterns, string TargetStateMachineArn, string InvocationType);

/// <summary>What became of one batch the pipe sent (or tried to send) to its target.</summary>
public sealed record PipeDelivery(DateTimeOffset Time, string Pipe, string Input, bool Succeeded, string Result, int Attempts, IReadOnlyList<string> Errors);

/// <summary>A pipe in the account: its definition, its position in the source, and what it delivered.</summary>
public sealed class Pipe(PipeDefinition definition, string arn, int position)
{
    public PipeDefinition Definition { get; } = definition;

    public string Arn { get; } = arn;

    /// <summary>The next record of the source's shard the pipe reads.</summary>
    public int Position { get; internal set; } = position;

    /// <summary>RUNNING, or STOPPED when a read was refused (with <see cref="StateReason"/>) until the next record arrives.</summary>
    public string CurrentState { get; internal set; } = "RUNNING";

    public string? StateReason { get; internal set; }

    internal IReadOnlyList<EventPattern> Filters { get; init; } = [];
}

/// <summary>
/// Amazon EventBridge Pipes: from a DynamoDB stream to a Step Functions state machine, the part of Pipes this product uses.
/// The pipe polls its source with its role (the four actions EventBridge Pipes needs on a DynamoDB stream:
/// DescribeStream, GetRecords, GetShardIterator, ListStreams, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-permissions.html;
/// a read the role may not make is refused and recorded as an IAM denial, and the records wait), keeps the records its
/// filters match (a record no filter matches is dropped; https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html),
/// and starts the target with each batch as a JSON array, even a batch of one
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-batching-concurrency.html), assuming its role as
/// <c>pipes.amazonaws.com</c> (the role must trust the service, and may be limited to this pipe with aws:SourceArn). A
/// failed start is retried <c>MaximumRetryAttempts</c> times, 1, 2, 4... seconds apart, then the batch is dropped (no
/// dead-letter queue is configured). CreatePipe's own checks: a Standard state machine takes only <c>FIRE_AND_FORGET</c>
/// (https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_PipeTargetStateMachineParameters.html), batch size
/// 1 to 10,000, at most 5 filters.
/// </summary>
public sealed class PipesService : AwsServiceBase
{
    /// <summary>
    /// How long a new stream record takes to reach the pipe's target. AWS publishes no figure for Pipes on DynamoDB
    /// streams; like rule delivery (TargetDeliverer.ModelledRuleDeliveryLatency) a conservative whole second.
    /// </summary>
    public static readonly TimeSpan ModelledLatency = TimeSpan.FromSeconds(1);

    /// <summary>What a pipe does with its role to read a DynamoDB stream (eb-pipes-permissions.html), each on the stream.</summary>
    public static IReadOnlyList<string> StreamReadActions { get; } = ["dynamodb:ListStreams", "dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"];

    private readonly List<Pipe> _pipes = [];
    private readonly List<PipeDelivery> _deliveries = [];
    private SimulatedAccount? _account;

    public override string SdkName => "pipes";

    public override string ErrorPrefix => "Pipes";

    public override string IamPrefix => "pipes";

    public IReadOnlyList<Pipe> Pipes => _pipes;

    public IReadOnlyList<PipeDelivery> Deliveries => _deliveries;

    /// <summary>Batches on their way (waiting for the latency or a retry): a rehearsal waits for them.</summary>
    public int InProgress { get; private set; }

    private SimulatedAccount Account => _account ?? throw new InvalidOperationException("The Pipes service is not attached to an account.");

    public override void Attach(SimulatedAccount account)
    {
        base.Attach(account);
        _account = account;
    }

    /// <summary>Creates a pipe (CreatePipe): checks what the API checks, then starts reading at its starting position.</summary>
    /// <exception cref="AwsServiceException">ValidationException, or NotFoundException for a source stream that does not exist.</exception>
    public Pipe AddPipe(PipeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new List<string>();
        if (definition.BatchSize is < 1 or > 10_000)
        {
            problems.Add($"BatchSize {definition.BatchSize} is not between 1 and 10000");
        }

        if (definition.StartingPosition is not ("LATEST" or "TRIM_HORIZON"))
        {
            problems.Add($"StartingPosition {definition.StartingPosition} is not LATEST or TRIM_HORIZON");
        }

        var target = Account.Service<StepFunctions.StepFunctionsService>().StateMachines.FirstOrDefault(m => m.Arn == definition.TargetStateMachineArn);
        if (target is null)
        {
            problems.Add($"Target {definition.TargetStateMachineArn} does not exist");
        }
        else if (definition.InvocationType != "FIRE_AND_FORGET" && (target.Type != "EXPRESS" || definition.InvocationType != "REQUEST_RESPONSE"))
        {
            problems.Add($"InvocationType {definition.InvocationType} is not supported for a {target.Type} state machine target; use FIRE_AND_FORGET");
        }

        if (definition.FilterPatterns.Count > 5)
        {
            problems.Add($"{definition.FilterPatterns.Count} filters; at most 5");
        }

        var filters = new List<EventPattern>();
        foreach (var pattern in definition.FilterPatterns)
        {
            if (EventPattern.TryParse(pattern, out var parsed, out var reason))
            {
                filters.Add(parsed!);
            }
            else
            {
                problems.Add($"Filter pattern is not valid: {reason}");
            }
        }

        if (problems.Count > 0)
        {
            throw new AwsServiceException("ValidationException", string.Join("; ", problems));
        }

        var streams = Account.Service<DynamoDbService>().Streams;
        var source = streams.ByArn(definition.SourceStreamArn)
            ?? throw new AwsServiceException("NotFoundException", $"Stream {definition.SourceStreamArn} does not exist.");
        var pipe = new Pipe(definition, Account.Arn("pipes", $"pipe/{definition.Name}"), definition.StartingPosition == "LATEST" ? source.Records.Count : 0) { Filters = filters };
        _pipes.Add(pipe);
        if (_pipes.Count(p => p.Definition.SourceStreamArn == source.Arn) == 1)
        {
            streams.RecordsAppended += stream =>
            {
                foreach (var p in _pipes.Where(p => p.Definition.SourceStreamArn == stream.Arn))
                {
                    Poll(p, stream);
                }
            };
        }

        return pipe;
    }

    private void Poll(Pipe pipe, StreamOfTable stream)
    {
        var role = pipe.Definition.RoleArn;
        var reads = StreamReadActions.Select(a => new AuthorizationRequest(a, stream.Arn, RequestContext.Empty));
        if (Account.Refusal(role, reads, $"pipe {pipe.Definition.Name}") is { } refused)
        {
            // The records stay in the stream (24 hours); the pipe reads them once the role allows it.
            pipe.CurrentState = "STOPPED";
            pipe.StateReason = refused.Message;
            return;
        }

        pipe.CurrentState = "RUNNING";
        pipe.StateReason = null;
        var fresh = stream.Records.Skip(pipe.Position).ToList();
        pipe.Position = stream.Records.Count;
        var kept = fresh.Where(r => pipe.Filters.Count == 0 || pipe.Filters.Any(f => f.Matches(r))).ToList();
        foreach (var batch in kept.Chunk(pipe.Definition.BatchSize))
        {
            _ = DeliverAsync(pipe, JArray.Of([.. batch]).ToJson());
        }
    }

    private async Task DeliverAsync(Pipe pipe, string input)
    {
        InProgress++;
        try
        {
            var first = Account.Scheduler.Now;
            await Account.Scheduler.Delay(ModelledLatency);
            var errors = new List<string>();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var execution = await PlatformTargets.DeliverAsync(Account, pipe.Arn, pipe.Definition.TargetStateMachineArn, input,
                        new TargetRole(pipe.Definition.RoleArn, "pipes.amazonaws.com", pipe.Arn));
                    _deliveries.Add(new PipeDelivery(first, pipe.Definition.Name, input, true, execution, attempt, errors));
                    return;
                }
                catch (TargetDeliveryException e)
                {
                    errors.Add(e.Result);
                    if (attempt > pipe.Definition.MaximumRetryAttempts)
                    {
                        _deliveries.Add(new PipeDelivery(first, pipe.Definition.Name, input, false, e.Result, attempt, errors));
                        return;
                    }

                    await Account.Scheduler.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)));
                }
            }
        }
        finally
        {
            InProgress--;
        }
    }
}
