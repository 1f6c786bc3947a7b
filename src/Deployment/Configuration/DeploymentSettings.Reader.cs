using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BlueGreen.Deployment.Configuration;

// Reads the cdk.json context keys, collecting every problem with the key it came from.
public sealed partial record DeploymentSettings
{
    /// <summary>Reads typed values, recording a problem (and returning the default) for each bad one.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, object?> context, List<string> problems)
    {
        public string String(string key, string fallback, Regex pattern, string expected)
        {
            var value = OptionalString(key, pattern, expected);
            return value ?? fallback;
        }

        public string? OptionalString(string key, Regex pattern, string expected)
        {
            if (!TryGet(key, out var raw))
            {
                return null;
            }

            var text = Scalar(raw);
            if (text is null || !pattern.IsMatch(text))
            {
                problems.Add($"{KeyPrefix}{key}: {Describe(raw)} is not valid; expected {expected}");
                return null;
            }

            return text;
        }

        public int Integer(string key, int fallback, Func<int, bool> valid, string expected)
        {
            if (!TryGet(key, out var raw))
            {
                return fallback;
            }

            var text = Scalar(raw);
            if (text is not null && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && valid(value))
            {
                return value;
            }

            problems.Add($"{KeyPrefix}{key}: {Describe(raw)} is not valid; expected {expected}");
            return fallback;
        }

        public IReadOnlyList<string> List(string key, IReadOnlyList<string> fallback, Regex pattern, string expected, bool required)
        {
            if (!TryGet(key, out var raw))
            {
                return fallback;
            }

            var items = Items(raw);
            if (items is null)
            {
                problems.Add($"{KeyPrefix}{key}: {Describe(raw)} is not a list; give a JSON array or comma-separated values");
                return fallback;
            }

            if (required && items.Count == 0)
            {
                problems.Add($"{KeyPrefix}{key}: must list at least one value ({expected})");
                return fallback;
            }

            // Each entry becomes ARNs in the upgrade role's managed policies, which IAM caps at 6,144 characters each.
            if (items.Count > MaxListLength)
            {
                problems.Add($"{KeyPrefix}{key}: lists {items.Count} values; at most {MaxListLength} fit the upgrade role's policy (use wider name patterns)");
                return fallback;
            }

            var bad = items.Where(i => !pattern.IsMatch(i)).ToList();
            foreach (var item in bad)
            {
                problems.Add($"{KeyPrefix}{key}: \"{item}\" is not valid; expected {expected}");
            }

            var duplicates = items.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            foreach (var item in duplicates)
            {
                problems.Add($"{KeyPrefix}{key}: \"{item}\" is listed more than once");
            }

            return bad.Count == 0 && duplicates.Count == 0 ? items : fallback;
        }

        public RequiredTag Tag(string key, RequiredTag fallback)
        {
            if (!TryGet(key, out var raw))
            {
                return fallback;
            }

            var text = Scalar(raw);
            if (text is null || !TagPair().IsMatch(text))
            {
                problems.Add($"{KeyPrefix}{key}: {Describe(raw)} is not valid; expected key=value (a tag key not starting with aws:, e.g. {fallback})");
                return fallback;
            }

            var at = text.IndexOf('=', StringComparison.Ordinal);
            return new RequiredTag(text[..at], text[(at + 1)..]);
        }

        private bool TryGet(string key, out object? value) => context.TryGetValue(KeyPrefix + key, out value) && !IsNull(value);

        private static bool IsNull(object? value) => value is null || (value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined });

        private static string? Scalar(object? raw) => raw switch
        {
            string s => s.Trim(),
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!.Trim(),
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
            JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } e => e.GetRawText(),
            int or long or double or float or decimal or bool => Convert.ToString(raw, CultureInfo.InvariantCulture),
            _ => null,
        };

        private static List<string>? Items(object? raw)
        {
            switch (raw)
            {
                case string s when s.TrimStart().StartsWith('['):
                    try
                    {
                        using var doc = JsonDocument.Parse(s);
                        return Items(doc.RootElement.Clone());
                    }
                    catch (JsonException)
                    {
                        return null;
                    }

                case string s:
                    return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                case JsonElement { ValueKind: JsonValueKind.Array } e:
                    return e.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String) ? e.EnumerateArray().Select(i => i.GetString()!.Trim()).ToList() : null;
                case JsonElement { ValueKind: JsonValueKind.String } e:
                    return Items(e.GetString());
                case System.Collections.IEnumerable list:
                    var items = new List<string>();
                    foreach (var item in list)
                    {
                        if (Scalar(item) is not { } text)
                        {
                            return null;
                        }

                        items.Add(text);
                    }

                    return items;
                default:
                    return null;
            }
        }

        private static string Describe(object? raw) => raw switch
        {
            JsonElement e => e.GetRawText(),
            string s => JsonSerializer.Serialize(s),
            _ => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "null",
        };
    }
}
