using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// A small map from names (section names) to values, searched in insertion order, which is also
/// the enumeration order. For a dozen keys a scan is as fast as hashing, and this type, unlike
/// <see cref="Dictionary{TKey, TValue}"/> over a value type, is precompiled by ReadyToRun.
/// </summary>
public sealed class NameMap<TValue> : IReadOnlyDictionary<string, TValue>
{
    private readonly ValueList<KeyValuePair<string, TValue>> _entries = new(16);

    public NameMap()
    {
    }

    public NameMap(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (name, value) in entries)
            this[name] = value;
    }

    public int Count => _entries.Count;

    public TValue this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no entry named {key}");
        set
        {
            int index = IndexOf(key);
            if (index >= 0)
                _entries[index] = new KeyValuePair<string, TValue>(key, value);
            else
                _entries.Add(new KeyValuePair<string, TValue>(key, value));
        }
    }

    public IEnumerable<string> Keys
    {
        get
        {
            for (int i = 0; i < _entries.Count; i++)
                yield return _entries[i].Key;
        }
    }

    public IEnumerable<TValue> Values
    {
        get
        {
            for (int i = 0; i < _entries.Count; i++)
                yield return _entries[i].Value;
        }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        int index = IndexOf(key);
        if (index < 0)
        {
            value = default;
            return false;
        }

        value = _entries[index].Value;
        return true;
    }

    public bool Remove(string key)
    {
        int index = IndexOf(key);
        if (index >= 0)
            _entries.RemoveAt(index);
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (int i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
                return i;
        }

        return -1;
    }
}
