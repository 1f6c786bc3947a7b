using BlueGreen.Simulator.Json;

namespace BlueGreen.Simulator.Asl.Definition;

/// <summary>
/// The Retry and Catch fields of Task, Parallel and Map states: retriers with their defaults
/// (1 s, 3 attempts, backoff 2.0), catchers, and the rule that <c>States.ALL</c> stands alone and last.
/// </summary>
internal static class RetryCatchLoader
{
    public static List<Retrier> Retriers(LoadContext context, JObject o, string location)
    {
        var list = new List<Retrier>();
        if (!o.TryGet("Retry", out var value))
        {
            return list;
        }

        if (value is not JArray retriers)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Retry' must be an ARRAY", $"{location}/Retry");
            return list;
        }

        for (var i = 0; i < retriers.Count; i++)
        {
            var l = $"{location}/Retry[{i}]";
            if (retriers[i] is not JObject r)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "A retrier must be an object", l);
                continue;
            }

            foreach (var key in r.Keys.Where(k => k is not ("ErrorEquals" or "IntervalSeconds" or "MaxAttempts" or "BackoffRate" or "MaxDelaySeconds" or "JitterStrategy" or "Comment")))
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported in a retrier", $"{l}/{key}");
            }

            var errors = ErrorEqualsOf(context, r, l, isLast: i == retriers.Count - 1, "retrier");
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
        if (!o.TryGet("Catch", out var value))
        {
            return list;
        }

        if (value is not JArray catchers)
        {
            context.Error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Catch' must be an ARRAY", $"{location}/Catch");
            return list;
        }

        for (var i = 0; i < catchers.Count; i++)
        {
            var l = $"{location}/Catch[{i}]";
            if (catchers[i] is not JObject c)
            {
                context.Error("SCHEMA_VALIDATION_FAILED", "A catcher must be an object", l);
                continue;
            }

            foreach (var key in c.Keys.Where(k => k is not ("ErrorEquals" or "Next" or "ResultPath" or "Assign" or "Comment")))
            {
                context.Error("SCHEMA_VALIDATION_FAILED", $"The field '{key}' is not supported in a catcher", $"{l}/{key}");
            }

            var errors = ErrorEqualsOf(context, c, l, isLast: i == catchers.Count - 1, "catcher");
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
