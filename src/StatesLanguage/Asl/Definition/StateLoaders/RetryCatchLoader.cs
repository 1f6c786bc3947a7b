using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// The Retry and Catch fields of Task, Parallel and Map states: retriers with their defaults
/// (1 s, 3 attempts, backoff 2.0), catchers, and the rule that <c>States.ALL</c> stands alone and last.
/// </summary>
internal static class RetryCatchLoader
{
    private static readonly HashSet<string> RetrierFields = ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];

    private static readonly HashSet<string> CatcherFields = ["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"];

    public static List<Retrier> Retriers(LoadContext context, JObject o, string location)
    {
        var list = new List<Retrier>();
        foreach (var (r, l, isLast) in Handlers(context, o, "Retry", "retrier", RetrierFields, location))
        {
            var errors = ErrorEqualsOf(context, r, l, isLast, "retrier");
            var interval = r.TryGet("IntervalSeconds", out var iv) ? context.PositiveInteger(iv, "IntervalSeconds", $"{l}/IntervalSeconds", allowZero: false) ?? 1 : 1;
            var maxAttempts = r.TryGet("MaxAttempts", out var ma) ? context.PositiveInteger(ma, "MaxAttempts", $"{l}/MaxAttempts", allowZero: true) ?? 3 : 3;
            var backoff = 2.0;
            if (r.TryGet("BackoffRate", out var br))
            {
                if (br is JNumber n && n.Value >= 1.0)
                {
                    backoff = n.Value;
                }
                else
                {
                    context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'BackoffRate' must be a NUMBER of at least 1.0", $"{l}/BackoffRate");
                }
            }

            double? maxDelay = r.TryGet("MaxDelaySeconds", out var md) ? context.PositiveInteger(md, "MaxDelaySeconds", $"{l}/MaxDelaySeconds", allowZero: false) : null;
            var jitter = JitterStrategy.None;
            if (r.GetString("JitterStrategy") is { } js)
            {
                jitter = js switch
                {
                    "FULL" => JitterStrategy.Full,
                    "NONE" => JitterStrategy.None,
                    _ => Invalid(),
                };

                JitterStrategy Invalid()
                {
                    context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'JitterStrategy' must be FULL or NONE", $"{l}/JitterStrategy");
                    return JitterStrategy.None;
                }
            }

            list.Add(new Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter));
        }

        return list;
    }

    public static List<Catcher> Catchers(LoadContext context, JObject o, string location)
    {
        var list = new List<Catcher>();
        foreach (var (c, l, isLast) in Handlers(context, o, "Catch", "catcher", CatcherFields, location))
        {
            var errors = ErrorEqualsOf(context, c, l, isLast, "catcher");
            var next = c.GetString("Next");
            if (next is null)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", l);
                continue;
            }

            list.Add(new Catcher(errors, next, context.PathFieldOf(c, "ResultPath", l, referenceOnly: true), context.AssignOf(c, l)));
        }

        return list;
    }

    /// <summary>
    /// The retriers or catchers in <paramref name="field"/>, each with its location and whether it is the
    /// last; what is not an object, and fields a <paramref name="what"/> does not have, are reported as
    /// the walk reaches them, so problems keep the order of the definition.
    /// </summary>
    private static IEnumerable<(JObject Handler, string Location, bool IsLast)> Handlers(LoadContext context, JObject o, string field, string what, HashSet<string> fields, string location)
    {
        if (!o.TryGet(field, out var value))
        {
            yield break;
        }

        if (value is not JArray handlers)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", $"The value for the field '{field}' must be an ARRAY", $"{location}/{field}");
            yield break;
        }

        for (var i = 0; i < handlers.Count; i++)
        {
            var l = $"{location}/{field}[{i}]";
            if (handlers[i] is not JObject handler)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"A {what} must be an object", l);
                continue;
            }

            foreach (var key in handler.Keys.Where(k => !fields.Contains(k)))
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported in a {what}", $"{l}/{key}");
            }

            yield return (handler, l, i == handlers.Count - 1);
        }
    }

    private static List<string> ErrorEqualsOf(LoadContext context, JObject o, string location, bool isLast, string what)
    {
        if (o.GetArray("ErrorEquals") is not { Count: > 0 } array || array.Any(e => e is not JString))
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'ErrorEquals' must be a non-empty ARRAY of STRING", $"{location}/ErrorEquals");
            return [];
        }

        var errors = array.Select(e => e.AsString()).ToList();
        if (errors.Contains(StatesErrors.All))
        {
            if (errors.Count > 1)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"'{StatesErrors.All}' must appear alone in ErrorEquals", $"{location}/ErrorEquals");
            }

            if (!isLast)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"A {what} with '{StatesErrors.All}' must be the last {what}", $"{location}/ErrorEquals");
            }
        }

        return errors;
    }
}
