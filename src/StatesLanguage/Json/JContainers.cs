using System.Collections;
using System.Text;

namespace BlueGreen.Simulator.Json;

/// <summary>An immutable JSON object that keeps member order (the order users wrote and AWS returns).</summary>
public sealed class JObject : JValue, IReadOnlyList<KeyValuePair<string, JValue>>
{
    // Small objects are searched linearly; past this size a dictionary index is built once.
    private const int IndexThreshold = 8;

    public static readonly JObject Empty = new([]);

    private readonly KeyValuePair<string, JValue>[] _members;
    private Dictionary<string, int>? _index;

    /// <summary>Takes ownership of <paramref name="members"/>; keys must be unique.</summary>
    internal JObject(KeyValuePair<string, JValue>[] members) => _members = members;

    public static JObject From(IEnumerable<KeyValuePair<string, JValue>> members)
    {
        var builder = new JObjectBuilder();
        foreach (var (k, v) in members)
        {
            builder[k] = v;
        }

        return builder.Build();
    }

    public static JObject Of(params (string Key, JValue Value)[] members)
    {
        var builder = new JObjectBuilder(members.Length);
        foreach (var (k, v) in members)
        {
            builder[k] = v;
        }

        return builder.Build();
    }

    public override JKind Kind => JKind.Object;

    public int Count => _members.Length;

    public KeyValuePair<string, JValue> this[int index] => _members[index];

    public JValue? this[string key] => TryGet(key, out var v) ? v : null;

    public IEnumerable<string> Keys => _members.Select(m => m.Key);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGet(string key, out JValue value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _members[i].Value : JNull.Instance;
        return i >= 0;
    }

    /// <summary>A copy with <paramref name="key"/> set (replaced in place, or appended).</summary>
    public JObject With(string key, JValue value)
    {
        var i = IndexOf(key);
        KeyValuePair<string, JValue>[] copy;
        if (i >= 0)
        {
            copy = (KeyValuePair<string, JValue>[])_members.Clone();
            copy[i] = new(key, value);
        }
        else
        {
            copy = new KeyValuePair<string, JValue>[_members.Length + 1];
            Array.Copy(_members, copy, _members.Length);
            copy[^1] = new(key, value);
        }

        return new JObject(copy);
    }

    public JObject Without(string key)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            return this;
        }

        var copy = new KeyValuePair<string, JValue>[_members.Length - 1];
        Array.Copy(_members, 0, copy, 0, i);
        Array.Copy(_members, i + 1, copy, i, _members.Length - i - 1);
        return new JObject(copy);
    }

    public string? GetString(string key) => TryGet(key, out var v) && v is JString s ? s.Value : null;

    public double? GetNumber(string key) => TryGet(key, out var v) && v is JNumber n ? n.Value : null;

    public bool? GetBool(string key) => TryGet(key, out var v) && v is JBool b ? b.Value : null;

    public JObject? GetObject(string key) => TryGet(key, out var v) ? v as JObject : null;

    public JArray? GetArray(string key) => TryGet(key, out var v) ? v as JArray : null;

    public IEnumerator<KeyValuePair<string, JValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, JValue>>)_members).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append('{');
        for (var i = 0; i < _members.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            JsonEscaping.WriteQuoted(sb, _members[i].Key);
            sb.Append(':');
            _members[i].Value.WriteTo(sb);
        }

        sb.Append('}');
    }

    protected override int ComputeUtf8Size()
    {
        var size = 2 + Math.Max(0, _members.Length - 1);
        foreach (var (k, v) in _members)
        {
            size += JsonEscaping.QuotedUtf8Length(k) + 1 + v.Utf8Size;
        }

        return size;
    }

    public override bool Equals(JValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not JObject o || o.Count != Count)
        {
            return false;
        }

        foreach (var (k, v) in _members)
        {
            if (!o.TryGet(k, out var ov) || !v.Equals(ov))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var (k, v) in _members)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(k), v.GetHashCode()); // order-insensitive
        }

        return hash;
    }

    private int IndexOf(string key)
    {
        if (_members.Length <= IndexThreshold)
        {
            for (var i = 0; i < _members.Length; i++)
            {
                if (string.Equals(_members[i].Key, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        _index ??= BuildIndex();
        return _index.TryGetValue(key, out var idx) ? idx : -1;
    }

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_members.Length, StringComparer.Ordinal);
        for (var i = 0; i < _members.Length; i++)
        {
            index[_members[i].Key] = i;
        }

        return index;
    }
}

/// <summary>Collects members for a <see cref="JObject"/>; setting an existing key replaces it (last one wins, as JSON.parse does).</summary>
public sealed class JObjectBuilder
{
    private readonly List<KeyValuePair<string, JValue>> _members;
    private Dictionary<string, int>? _index;

    public JObjectBuilder(int capacity = 4) => _members = new(capacity);

    public JObjectBuilder(JObject source)
    {
        _members = new(source.Count + 2);
        foreach (var m in source)
        {
            Add(m.Key, m.Value);
        }
    }

    public int Count => _members.Count;

    public JValue this[string key]
    {
        set => Add(key, value);
    }

    public JObjectBuilder Add(string key, JValue value)
    {
        var i = Find(key);
        if (i >= 0)
        {
            _members[i] = new(key, value);
        }
        else
        {
            _index?.Add(key, _members.Count);
            _members.Add(new(key, value));
            if (_index is null && _members.Count > 8)
            {
                _index = new(StringComparer.Ordinal);
                for (var j = 0; j < _members.Count; j++)
                {
                    _index[_members[j].Key] = j;
                }
            }
        }

        return this;
    }

    public JObject Build() => new([.. _members]);

    private int Find(string key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var i) ? i : -1;
        }

        for (var i = 0; i < _members.Count; i++)
        {
            if (string.Equals(_members[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>An immutable JSON array.</summary>
public sealed class JArray : JValue, IReadOnlyList<JValue>
{
    public static readonly JArray Empty = new([]);

    private readonly JValue[] _items;

    internal JArray(JValue[] items) => _items = items;

    public static JArray From(IEnumerable<JValue> items) => new([.. items]);

    public static JArray Of(params JValue[] items) => new((JValue[])items.Clone());

    public override JKind Kind => JKind.Array;

    public int Count => _items.Length;

    public JValue this[int index] => _items[index];

    public JArray WithItem(int index, JValue value)
    {
        var copy = (JValue[])_items.Clone();
        copy[index] = value;
        return new JArray(copy);
    }

    public IEnumerator<JValue> GetEnumerator() => ((IEnumerable<JValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append('[');
        for (var i = 0; i < _items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            _items[i].WriteTo(sb);
        }

        sb.Append(']');
    }

    protected override int ComputeUtf8Size()
    {
        var size = 2 + Math.Max(0, _items.Length - 1);
        foreach (var item in _items)
        {
            size += item.Utf8Size;
        }

        return size;
    }

    public override bool Equals(JValue? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not JArray a || a.Count != Count)
        {
            return false;
        }

        for (var i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(a._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}
