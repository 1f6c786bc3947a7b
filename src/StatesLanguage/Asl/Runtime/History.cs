using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Runtime;

/// <summary>
/// One entry of an execution's history, with the event type names of GetExecutionHistory
/// (ExecutionStarted, TaskStateEntered, TaskScheduled, MapIterationStarted, ...). Payloads are kept as
/// references to immutable values and only turned into the AWS shape when asked for.
/// </summary>
public sealed record HistoryEvent(
    long Id,
    long PreviousEventId,
    DateTimeOffset Timestamp,
    string Type,
    string? StateName = null,
    JValue? Data = null,
    string? Error = null,
    string? Cause = null,
    string? Resource = null,
    int? Index = null,
    string? Region = null)
{
    /// <summary>
    /// The event as GetExecutionHistory returns it: camelCase members, JSON payloads as strings, and
    /// per type exactly the details members of the API's HistoryEvent shape (TaskScheduledEventDetails,
    /// MapStateStartedEventDetails, ...). Events whose type has no details member in the API (Parallel
    /// and Map state started/succeeded/failed, LambdaFunctionStarted) carry none.
    /// </summary>
    public JObject ToJson()
    {
        var o = new JObjectBuilder()
            .Add("timestamp", IsoTime.Format(Timestamp))
            .Add("type", Type)
            .Add("id", Id)
            .Add("previousEventId", PreviousEventId);
        if (Details() is { Count: > 0 } details)
        {
            o.Add(DetailsMember, details.Build());
        }

        return o.Build();
    }

    private JObjectBuilder? Details()
    {
        var details = new JObjectBuilder();
        switch (Type)
        {
            case "ExecutionStarted":
                AddData(details, "input");
                if (Resource is not null)
                {
                    details.Add("roleArn", Resource);
                }

                break;
            case "ExecutionSucceeded":
                AddData(details, "output");
                break;
            case "ExecutionFailed" or "ExecutionAborted" or "ExecutionTimedOut" or "LambdaFunctionFailed" or "LambdaFunctionTimedOut":
                AddErrorAndCause(details);
                break;
            case "MapStateStarted":
                if (Data is JObject started && started["length"] is { } length)
                {
                    details.Add("length", length);
                }

                break;
            case "MapIterationStarted" or "MapIterationSucceeded" or "MapIterationFailed" or "MapIterationAborted":
                details.Add("name", StateName!).Add("index", Index ?? 0);
                break;
            case "TaskScheduled":
                AddResource(details);
                details.Add("region", Region ?? string.Empty);
                AddData(details, "parameters");
                break;
            case "TaskStarted":
                AddResource(details);
                break;
            case "TaskSubmitted" or "TaskSucceeded":
                AddResource(details);
                AddData(details, "output");
                break;
            case "TaskFailed" or "TaskTimedOut" or "TaskStartFailed" or "TaskSubmitFailed":
                AddResource(details);
                AddErrorAndCause(details);
                break;
            case "LambdaFunctionScheduled":
                details.Add("resource", Resource!);
                AddData(details, "input");
                break;
            case "LambdaFunctionSucceeded":
                AddData(details, "output");
                break;
            case var t when t.EndsWith("StateEntered", StringComparison.Ordinal):
                details.Add("name", StateName!);
                AddData(details, "input");
                break;
            case var t when t.EndsWith("StateExited", StringComparison.Ordinal):
                details.Add("name", StateName!);
                AddData(details, "output");
                break;
            default:
                return null;
        }

        return details;
    }

    private void AddData(JObjectBuilder details, string member)
    {
        if (Data is not null)
        {
            details.Add(member, Data.ToJson());
        }
    }

    private void AddErrorAndCause(JObjectBuilder details)
    {
        if (Error is not null)
        {
            details.Add("error", Error);
        }

        if (Cause is not null)
        {
            details.Add("cause", Cause);
        }
    }

    private void AddResource(JObjectBuilder details) =>
        details.Add("resourceType", ResourceType(Resource!)).Add("resource", ResourceName(Resource!));

    private string DetailsMember => Type switch
    {
        _ when Type.EndsWith("StateEntered", StringComparison.Ordinal) => "stateEnteredEventDetails",
        _ when Type.EndsWith("StateExited", StringComparison.Ordinal) => "stateExitedEventDetails",
        _ when Type.StartsWith("MapIteration", StringComparison.Ordinal) => "mapIteration" + Type["MapIteration".Length..] + "EventDetails",
        _ => char.ToLowerInvariant(Type[0]) + Type[1..] + "EventDetails",
    };

    /// <summary>"arn:aws:states:::lambda:invoke.waitForTaskToken" has resourceType "lambda" and resource "invoke.waitForTaskToken".</summary>
    private static string ResourceType(string resource)
    {
        var parts = resource.Split(':');
        return parts.Length > 6 && parts[5] == "aws-sdk" ? parts[5] + ":" + parts[6] : parts.Length > 5 ? parts[5] == "function" ? "lambda" : parts[5] : resource;
    }

    private static string ResourceName(string resource)
    {
        var parts = resource.Split(':');
        return parts.Length > 7 && parts[5] == "aws-sdk" ? string.Join(':', parts[7..]) : parts.Length > 6 ? string.Join(':', parts[6..]) : resource;
    }
}

/// <summary>Raised when an execution reaches the history quota; ends the execution with States.Runtime.</summary>
public sealed class HistoryLimitExceededException(int limit)
    : StatesException(StatesErrors.Runtime, $"The execution reached the maximum number of history events ({limit}).");

/// <summary>
/// The append-only event list of one execution, enforcing the quota the way AWS does: event number
/// <c>limit</c> is the ExecutionFailed event itself.
/// </summary>
public sealed class HistoryLog(int maxEvents, bool keepEvents)
{
    private readonly List<HistoryEvent> _events = [];
    private long _lastId;

    public long Count => _lastId;

    public IReadOnlyList<HistoryEvent> Events => _events;

    public int MaxEvents => maxEvents;

    public HistoryEvent Add(DateTimeOffset now, string type, string? stateName = null, JValue? data = null, string? error = null, string? cause = null, string? resource = null, int? index = null, string? region = null)
    {
        if (maxEvents > 0 && _lastId >= maxEvents - 1)
        {
            throw new HistoryLimitExceededException(maxEvents);
        }

        return Append(new HistoryEvent(_lastId + 1, _lastId, now, type, stateName, data, error, cause, resource, index, region));
    }

    /// <summary>Appends the execution's closing event, which may use the last slot of the quota.</summary>
    public HistoryEvent AddFinal(DateTimeOffset now, string type, JValue? data = null, string? error = null, string? cause = null) =>
        Append(new HistoryEvent(_lastId + 1, _lastId, now, type, null, data, error, cause));

    private HistoryEvent Append(HistoryEvent e)
    {
        _lastId = e.Id;
        if (keepEvents)
        {
            _events.Add(e);
        }

        return e;
    }
}
