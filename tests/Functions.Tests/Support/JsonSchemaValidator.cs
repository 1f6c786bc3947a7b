using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BlueGreen.Functions.Tests.Support;

/// <summary>
/// A small JSON Schema (draft 2020-12) validator for the keywords the input schema uses. Any other keyword
/// throws, so the schema cannot silently grow constraints this validator would ignore.
/// </summary>
internal sealed class JsonSchemaValidator
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "$defs", "title", "description", "default", "examples"];

    private readonly JsonElement _root;

    public JsonSchemaValidator(JsonElement root) => _root = root;

    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(_root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }
        foreach (var keyword in schema.EnumerateObject())
        {
            var k = keyword.Value;
            switch (keyword.Name)
            {
                case var a when Annotations.Contains(a):
                    break;
                case "$ref":
                    Check(Resolve(k.GetString()!), value, path, errors);
                    break;
                case "type":
                    if (!TypeMatches(k.GetString()!, value))
                    {
                        errors.Add($"{path}: expected {k.GetString()}");
                    }
                    break;
                case "enum":
                    if (!k.EnumerateArray().Any(e => JsonElement.DeepEquals(e, value)))
                    {
                        errors.Add($"{path}: not one of {k.GetRawText()}");
                    }
                    break;
                case "const":
                    if (!JsonElement.DeepEquals(k, value))
                    {
                        errors.Add($"{path}: must be {k.GetRawText()}");
                    }
                    break;
                case "pattern":
                    if (value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, k.GetString()!))
                    {
                        errors.Add($"{path}: does not match {k.GetString()}");
                    }
                    break;
                case "minLength":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length < k.GetInt32())
                    {
                        errors.Add($"{path}: shorter than {k.GetInt32()}");
                    }
                    break;
                case "maxLength":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > k.GetInt32())
                    {
                        errors.Add($"{path}: longer than {k.GetInt32()}");
                    }
                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() < k.GetDouble())
                    {
                        errors.Add($"{path}: below {k.GetRawText()}");
                    }
                    break;
                case "maximum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() > k.GetDouble())
                    {
                        errors.Add($"{path}: above {k.GetRawText()}");
                    }
                    break;
                case "minItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() < k.GetInt32())
                    {
                        errors.Add($"{path}: fewer than {k.GetInt32()} items");
                    }
                    break;
                case "maxItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > k.GetInt32())
                    {
                        errors.Add($"{path}: more than {k.GetInt32()} items");
                    }
                    break;
                case "maxProperties":
                    if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Count() > k.GetInt32())
                    {
                        errors.Add($"{path}: more than {k.GetInt32()} properties");
                    }
                    break;
                case "uniqueItems":
                    if (value.ValueKind == JsonValueKind.Array && k.GetBoolean())
                    {
                        var items = value.EnumerateArray().ToList();
                        for (var i = 0; i < items.Count; i++)
                        {
                            for (var j = 0; j < i; j++)
                            {
                                if (JsonElement.DeepEquals(items[i], items[j]))
                                {
                                    errors.Add($"{path}[{i}]: duplicate");
                                }
                            }
                        }
                    }
                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Check(k, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"), errors);
                        }
                    }
                    break;
                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in k.EnumerateArray().Select(n => n.GetString()!))
                        {
                            if (!value.TryGetProperty(name, out _))
                            {
                                errors.Add($"{path}.{name}: required");
                            }
                        }
                    }
                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in value.EnumerateObject())
                        {
                            if (k.TryGetProperty(property.Name, out var propertySchema))
                            {
                                Check(propertySchema, property.Value, $"{path}.{property.Name}", errors);
                            }
                        }
                    }
                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out var p) ? p : default;
                        foreach (var property in value.EnumerateObject())
                        {
                            if (declared.ValueKind != JsonValueKind.Object || !declared.TryGetProperty(property.Name, out _))
                            {
                                Check(k, property.Value, $"{path}.{property.Name}", errors);
                            }
                        }
                    }
                    break;
                case "propertyNames":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in value.EnumerateObject())
                        {
                            using var name = JsonDocument.Parse(JsonSerializer.Serialize(property.Name, TestJson.Default.String));
                            Check(k, name.RootElement, $"{path}.{property.Name} (name)", errors);
                        }
                    }
                    break;
                case "oneOf":
                    var matches = k.EnumerateArray().Count(s => Passes(s, value, path));
                    if (matches != 1)
                    {
                        errors.Add($"{path}: matches {matches} of the oneOf schemas, not exactly 1");
                    }
                    break;
                case "anyOf":
                    if (!k.EnumerateArray().Any(s => Passes(s, value, path)))
                    {
                        errors.Add($"{path}: matches none of the anyOf schemas");
                    }
                    break;
                case "allOf":
                    foreach (var s in k.EnumerateArray())
                    {
                        Check(s, value, path, errors);
                    }
                    break;
                case "not":
                    if (Passes(k, value, path))
                    {
                        errors.Add($"{path}: matches a schema it must not");
                    }
                    break;
                default:
                    throw new NotSupportedException($"schema keyword {keyword.Name} is not supported by the test validator");
            }
        }
    }

    private bool Passes(JsonElement schema, JsonElement value, string path)
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors.Count == 0;
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"only local references are supported: {reference}");
        }
        var node = _root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node.GetProperty(part);
        }
        return node;
    }

    private static bool TypeMatches(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.GetDouble() == Math.Floor(value.GetDouble()),
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"type {type}"),
    };
}
