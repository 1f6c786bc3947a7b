using System.Globalization;
using System.Text;

namespace BlueGreen.Simulator.Json;

/// <summary>The six JSON kinds.</summary>
#pragma warning disable CA1720 // String and Object are the names JSON itself gives these kinds
public enum JKind
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}
#pragma warning restore CA1720

/// <summary>
/// An immutable JSON value. States Language moves data by value (InputPath selects,
/// ResultPath merges into a copy, Parameters builds anew), so immutable nodes let every
/// state, history event and branch share structure instead of deep-cloning.
/// Numbers are IEEE doubles, as in JavaScript and the Step Functions console.
/// </summary>
public abstract class JValue : IEquatable<JValue>
{
    private int _utf8Size = -1;

    public abstract JKind Kind { get; }

    /// <summary>Length in bytes of <see cref="ToJson"/> as UTF-8; computed once (values never change).</summary>
    public int Utf8Size => _utf8Size >= 0 ? _utf8Size : _utf8Size = ComputeUtf8Size();

    public bool IsNull => Kind == JKind.Null;

    public static JValue Parse(string json) => JsonParser.Parse(Encoding.UTF8.GetBytes(json));

    public static JValue Parse(ReadOnlySpan<byte> utf8) => JsonParser.Parse(utf8);

    public static bool TryParse(string json, out JValue value, out string? error)
    {
        try
        {
            value = Parse(json);
            error = null;
            return true;
        }
        catch (JsonSyntaxException e)
        {
            value = JNull.Instance;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Compact JSON, byte-for-byte what <c>JSON.stringify</c> produces.</summary>
    public string ToJson()
    {
        var sb = new StringBuilder(Math.Min(Utf8Size, 1 << 20));
        WriteTo(sb);
        return sb.ToString();
    }

    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(ToJson());

    /// <summary>Indented JSON for people (CLI output, docs); not used for size accounting.</summary>
    public string ToIndentedJson() => JsonPretty.Format(this);

    public abstract void WriteTo(StringBuilder sb);

    protected abstract int ComputeUtf8Size();

    public abstract bool Equals(JValue? other);

    public override bool Equals(object? obj) => obj is JValue v && Equals(v);

    public abstract override int GetHashCode();

    public override string ToString() => ToJson();

    public static implicit operator JValue(string value) => new JString(value);

    public static implicit operator JValue(double value) => new JNumber(value);

    public static implicit operator JValue(bool value) => value ? JBool.True : JBool.False;

    /// <summary>Name used in error messages, matching the spec's vocabulary.</summary>
    public string KindName => Kind switch
    {
        JKind.Null => "null",
        JKind.Boolean => "boolean",
        JKind.Number => "number",
        JKind.String => "string",
        JKind.Array => "array",
        _ => "object",
    };

    // Convenience accessors used throughout the simulator; each throws a clear message on misuse.
    public string AsString() => this is JString s ? s.Value : throw new InvalidOperationException($"Expected a string but found {KindName}.");

    public double AsNumber() => this is JNumber n ? n.Value : throw new InvalidOperationException($"Expected a number but found {KindName}.");

    public bool AsBool() => this is JBool b ? b.Value : throw new InvalidOperationException($"Expected a boolean but found {KindName}.");

    public JObject AsObject() => this as JObject ?? throw new InvalidOperationException($"Expected an object but found {KindName}.");

    public JArray AsArray() => this as JArray ?? throw new InvalidOperationException($"Expected an array but found {KindName}.");
}

public sealed class JNull : JValue
{
    public static readonly JNull Instance = new();

    private JNull()
    {
    }

    public override JKind Kind => JKind.Null;

    public override void WriteTo(StringBuilder sb) => sb.Append("null");

    protected override int ComputeUtf8Size() => 4;

    public override bool Equals(JValue? other) => other is JNull;

    public override int GetHashCode() => 0;
}

public sealed class JBool : JValue
{
    public static readonly JBool True = new(true);
    public static readonly JBool False = new(false);

    private JBool(bool value) => Value = value;

    public bool Value { get; }

    public static JBool Of(bool value) => value ? True : False;

    public override JKind Kind => JKind.Boolean;

    public override void WriteTo(StringBuilder sb) => sb.Append(Value ? "true" : "false");

    protected override int ComputeUtf8Size() => Value ? 4 : 5;

    public override bool Equals(JValue? other) => other is JBool b && b.Value == Value;

    public override int GetHashCode() => Value ? 1 : 2;
}

public sealed class JNumber : JValue
{
    private string? _text;

    public JNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON numbers must be finite.");
        }

        Value = value;
    }

    public double Value { get; }

    public bool IsInteger => Math.Floor(Value) == Value;

    public override JKind Kind => JKind.Number;

    private string Text => _text ??= NumberFormat.Format(Value);

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);

    protected override int ComputeUtf8Size() => Text.Length;

    public override bool Equals(JValue? other) => other is JNumber n && n.Value.Equals(Value);

    public override int GetHashCode() => Value.GetHashCode();
}

public sealed class JString : JValue
{
    public static readonly JString Empty = new(string.Empty);

    public JString(string value) => Value = value ?? throw new ArgumentNullException(nameof(value));

    public string Value { get; }

    public override JKind Kind => JKind.String;

    public override void WriteTo(StringBuilder sb) => JsonEscaping.WriteQuoted(sb, Value);

    protected override int ComputeUtf8Size() => JsonEscaping.QuotedUtf8Length(Value);

    public override bool Equals(JValue? other) => other is JString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
}

/// <summary>Number text exactly as JavaScript's <c>Number.prototype.toString</c> writes it.</summary>
public static class NumberFormat
{
    private const double MaxExactInteger = 9_007_199_254_740_992; // 2^53

    public static string Format(double value)
    {
        if (value == 0)
        {
            return "0"; // JSON.stringify(-0) is "0"
        }

        // Integers below 2^53 are exact and JavaScript prints all their digits. Larger doubles are not
        // printed exactly: JavaScript prints the shortest round-trip digits padded with zeros
        // (867633159802647168 prints as 867633159802647200), which the general path below does.
        if (Math.Abs(value) < MaxExactInteger && Math.Floor(value) == value)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        // Shortest round-trip digits, then laid out with JavaScript's thresholds:
        // plain notation for 1e-7 < |x| < 1e21, exponent notation outside.
        var (negative, digits, exponent) = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        var sb = new StringBuilder();
        if (negative)
        {
            sb.Append('-');
        }

        // exponent: value = 0.d1d2d3... * 10^exponent  (JavaScript's "n")
        if (exponent > -6 && exponent <= 21)
        {
            if (exponent <= 0)
            {
                sb.Append("0.").Append('0', -exponent).Append(digits);
            }
            else if (exponent >= digits.Length)
            {
                sb.Append(digits).Append('0', exponent - digits.Length);
            }
            else
            {
                sb.Append(digits, 0, exponent).Append('.').Append(digits, exponent, digits.Length - exponent);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var e = exponent - 1;
            sb.Append('e').Append(e >= 0 ? "+" : "-").Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Splits .NET's round-trip text into sign, significant digits and a decimal exponent.</summary>
    private static (bool Negative, string Digits, int Exponent) Decompose(string text)
    {
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exp = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? text[..dot] : text;
        var fracPart = dot >= 0 ? text[(dot + 1)..] : string.Empty;
        var all = intPart + fracPart;
        var pointPosition = intPart.Length + exp;
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
        {
            lead++;
        }

        all = all[lead..];
        pointPosition -= lead;
        all = all.TrimEnd('0');
        if (all.Length == 0)
        {
            all = "0";
        }

        return (negative, all, pointPosition);
    }
}
