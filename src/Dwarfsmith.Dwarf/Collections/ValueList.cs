using System.Collections;

namespace Dwarfsmith.Dwarf.Collections;

/// <summary>
/// A growable array, as <see cref="List{T}"/>, whose indexer returns a reference to the element.
/// Why not <see cref="List{T}"/>: its code lives in CoreLib, so ReadyToRun cannot precompile its
/// instantiations over this library's structs (<c>List&lt;Attribute&gt;</c> and the like) and every
/// process started in the JIT's unoptimized tier on the hottest paths of the pass. This type is
/// compiled with the library. It has no constraints on <typeparamref name="T"/> on purpose: a
/// constraint naming a CoreLib type also keeps crossgen2 from compiling an instantiation.
/// </summary>
public sealed class ValueList<T> : IReadOnlyList<T>
{
    // Not Array.Empty<T>(): a CoreLib generic method, which ReadyToRun leaves to the JIT for our T.
#pragma warning disable CA1825
    private static readonly T[] s_empty = new T[0];
#pragma warning restore CA1825

    private T[] _items;
    private int _count;

    public ValueList() => _items = s_empty;

    public ValueList(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _items = capacity == 0 ? s_empty : new T[capacity];
    }

    public int Count => _count;

    public int Capacity => _items.Length;

    /// <summary>The element at <paramref name="index"/>, by reference: valid until the list grows.</summary>
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                ThrowIndex(index);
            return ref _items[index];
        }
    }

    T IReadOnlyList<T>.this[int index] => this[index];

    /// <summary>The last element, by reference.</summary>
    public ref T Last => ref this[_count - 1];

    public void Add(T item)
    {
        if (_count == _items.Length)
            Grow(_count + 1);
        _items[_count++] = item;
    }

    public void AddRange(ReadOnlySpan<T> items)
    {
        if (_count + items.Length > _items.Length)
            Grow(_count + items.Length);
        for (int i = 0; i < items.Length; i++)
            _items[_count + i] = items[i];
        _count += items.Length;
    }

    /// <summary>The index of the first element that <paramref name="match"/> selects, or -1.</summary>
    public int FindIndex(Predicate<T> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        for (int i = 0; i < _count; i++)
        {
            if (match(_items[i]))
                return i;
        }

        return -1;
    }

    public void Insert(int index, T item)
    {
        if ((uint)index > (uint)_count)
            ThrowIndex(index);
        if (_count == _items.Length)
            Grow(_count + 1);
        if (index < _count)
            Array.Copy(_items, index, _items, index + 1, _count - index);
        _items[index] = item;
        _count++;
    }

    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)_count)
            ThrowIndex(index);
        _count--;
        if (index < _count)
            Array.Copy(_items, index + 1, _items, index, _count - index);
        _items[_count] = default!;
    }

    /// <summary>Removes and returns the last element.</summary>
    public T Pop()
    {
        if (_count == 0)
            throw new InvalidOperationException("the list is empty");
        var item = _items[--_count];
        _items[_count] = default!;
        return item;
    }

    /// <summary>Removes every element that <paramref name="match"/> selects, keeping the order of the rest.</summary>
    public int RemoveAll(Predicate<T> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        int kept = 0;
        for (int i = 0; i < _count; i++)
        {
            if (!match(_items[i]))
                _items[kept++] = _items[i];
        }

        int removed = _count - kept;
        Array.Clear(_items, kept, removed);
        _count = kept;
        return removed;
    }

    public void Clear()
    {
        Array.Clear(_items, 0, _count);
        _count = 0;
    }

    /// <summary>Makes room for at least <paramref name="capacity"/> elements without growing again.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity > _items.Length)
            Grow(capacity);
    }

    public Span<T> AsSpan() => new(_items, 0, _count);

    public T[] ToArray()
    {
        var copy = new T[_count];
        Array.Copy(_items, copy, _count);
        return copy;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Grow(int needed)
    {
        int capacity = Math.Max(needed, _items.Length == 0 ? 4 : 2 * _items.Length);
        var items = new T[capacity];
        Array.Copy(_items, items, _count);
        _items = items;
    }

    private void ThrowIndex(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"the list has {_count} elements");

    /// <summary>Enumerates the elements in order (by reference through <see cref="Current"/>).</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private readonly ValueList<T> _list;
        private int _index;

        internal Enumerator(ValueList<T> list)
        {
            _list = list;
            _index = -1;
        }

        public readonly ref T Current => ref _list._items[_index];

        readonly T IEnumerator<T>.Current => Current;

        readonly object? IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _list._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
