using System.Collections;

namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// Section contents by name, searched in insertion order, which is also the enumeration order. For
/// a dozen sections a scan is as fast as hashing. Not generic on purpose: ReadyToRun precompiles
/// none of the generic code over <see cref="ReadOnlyMemory{T}"/> (a framework struct whose layout
/// may change), so a generic map here ran as unoptimized JIT code, compiled at start-up on every run.
/// </summary>
public sealed class SectionMap : IReadOnlyDictionary<string, ReadOnlyMemory<byte>>
{
    private string[] _names = new string[16];
    private ReadOnlyMemory<byte>[] _contents = new ReadOnlyMemory<byte>[16];
    private int _count;

    public int Count => _count;

    public ReadOnlyMemory<byte> this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no section named {key}");
        set
        {
            int index = IndexOf(key);
            if (index < 0)
            {
                if (_count == _names.Length)
                {
                    Array.Resize(ref _names, _count * 2);
                    Array.Resize(ref _contents, _count * 2);
                }

                index = _count++;
                _names[index] = key;
            }

            _contents[index] = value;
        }
    }

    public IEnumerable<string> Keys
    {
        get
        {
            for (int i = 0; i < _count; i++)
                yield return _names[i];
        }
    }

    public IEnumerable<ReadOnlyMemory<byte>> Values
    {
        get
        {
            for (int i = 0; i < _count; i++)
                yield return _contents[i];
        }
    }

    /// <summary>The bytes of all sections together.</summary>
    public long TotalSize
    {
        get
        {
            long size = 0;
            for (int i = 0; i < _count; i++)
                size += _contents[i].Length;
            return size;
        }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, out ReadOnlyMemory<byte> value)
    {
        int index = IndexOf(key);
        value = index >= 0 ? _contents[index] : default;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, ReadOnlyMemory<byte>>> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
            yield return new KeyValuePair<string, ReadOnlyMemory<byte>>(_names[i], _contents[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (int i = 0; i < _count; i++)
        {
            if (string.Equals(_names[i], key, StringComparison.Ordinal))
                return i;
        }

        return -1;
    }
}
