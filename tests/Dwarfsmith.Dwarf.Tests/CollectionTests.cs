using Dwarfsmith.Dwarf.Collections;
using Xunit;

namespace Dwarfsmith.Dwarf.Tests;

/// <summary>The library's own collections behave as the BCL ones they stand in for.</summary>
public class CollectionTests
{
    [Fact]
    public void ValueListFollowsListThroughRandomEdits()
    {
        var random = new Random(7);
        var ours = new ValueList<(int, long)>();
        var reference = new List<(int, long)>();
        for (int step = 0; step < 5000; step++)
        {
            var item = (random.Next(100), random.NextInt64());
            switch (random.Next(6))
            {
                case 0 or 1 or 2:
                    ours.Add(item);
                    reference.Add(item);
                    break;
                case 3:
                    int at = random.Next(reference.Count + 1);
                    ours.Insert(at, item);
                    reference.Insert(at, item);
                    break;
                case 4 when reference.Count > 0:
                    int remove = random.Next(reference.Count);
                    ours.RemoveAt(remove);
                    reference.RemoveAt(remove);
                    break;
                case 5 when reference.Count > 0:
                    Assert.Equal(reference[^1], ours.Pop());
                    reference.RemoveAt(reference.Count - 1);
                    break;
            }
        }

        Assert.Equal(reference, ours);
        Assert.Equal(reference.Count, ours.Count);
        Assert.Equal(reference.FindIndex(x => x.Item1 == 42), ours.FindIndex(x => x.Item1 == 42));
        Assert.Equal(reference.RemoveAll(x => x.Item1 < 50), ours.RemoveAll(x => x.Item1 < 50));
        Assert.Equal(reference, ours.ToArray());
    }

    [Fact]
    public void ValueListIndexerIsByReferenceAndChecked()
    {
        var list = new ValueList<int>(2) { 1, 2, 3 };
        list[1] += 10;
        list.Last = 30;
        Assert.Equal([1, 12, 30], list.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => list[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
        list.Clear();
        Assert.Empty(list);
        Assert.Throws<InvalidOperationException>(() => list.Pop());
        list.EnsureCapacity(100);
        Assert.True(list.Capacity >= 100);
        list.AddRange([4, 5]);
        Assert.Equal([4, 5], list.AsSpan().ToArray());
    }

    [Fact]
    public void LongMapAgreesWithDictionaryOnCollidingKeys()
    {
        // Offsets that share their low bits (multiples of 2^20), dense offsets, and negative keys.
        var keys = Enumerable.Range(0, 3000).Select(i => (long)i << 20)
            .Concat(Enumerable.Range(0, 3000).Select(i => (long)i * 12))
            .Concat(Enumerable.Range(1, 500).Select(i => -(long)i))
            .ToList();
        var ours = new LongMap<int>();
        var reference = new Dictionary<long, int>();
        int value = 0;
        foreach (long key in keys)
        {
            ours[key] = value;
            reference[key] = value++;
        }

        Assert.Equal(reference.Count, ours.Count);
        foreach (var (key, expected) in reference)
        {
            Assert.True(ours.TryGetValue(key, out int actual));
            Assert.Equal(expected, actual);
        }

        Assert.False(ours.ContainsKey(7));
        Assert.Throws<KeyNotFoundException>(() => ours[7]);
        Assert.Equal(reference.Keys.Distinct(), ours.Keys); // first-insertion order
        ours.Set(0, -1);
        Assert.Equal(-1, ours[0]);
        Assert.Equal(reference.Count, ours.Count);
        ours.Clear();
        Assert.Empty(ours);
        Assert.False(ours.ContainsKey(0));
    }

    [Fact]
    public void AscendingMapFindsEveryAppendedKeyAndNothingElse()
    {
        var random = new Random(11);
        var ours = new AscendingMap<int>(4); // grows several times
        var reference = new Dictionary<long, int>();
        long key = -50;
        for (int i = 0; i < 4000; i++)
        {
            key += 1 + random.Next(30);
            ours.Append(key, i);
            reference[key] = i;
        }

        Assert.Equal(reference.Count, ours.Count);
        foreach (var (k, expected) in reference)
            Assert.Equal(expected, ours[k]);
        for (long probe = -60; probe < key + 5; probe++)
            Assert.Equal(reference.ContainsKey(probe), ours.ContainsKey(probe));
        Assert.Equal(reference.Keys, ours.Keys);
        Assert.Throws<KeyNotFoundException>(() => ours[key + 1]);
        Assert.Throws<ArgumentException>(() => ours.Append(key, 0)); // not above the last key
        Assert.Throws<ArgumentException>(() => ours.Append(key - 1, 0));
    }

    [Fact]
    public void AscendingMapFindsKeysThatClusterOrSpreadUnevenly()
    {
        // Dense runs separated by huge gaps, where guessing by interpolation lands far off.
        var keys = new List<long> { long.MinValue + 1 }.Concat(Enumerable.Range(0, 500).Select(i => (long)i))
            .Concat(Enumerable.Range(0, 500).Select(i => (1L << 40) + (i * 3L)))
            .Concat([long.MaxValue - 1])
            .ToList();
        var ours = new AscendingMap<int>();
        for (int i = 0; i < keys.Count; i++)
            ours.Append(keys[i], i);
        for (int i = 0; i < keys.Count; i++)
        {
            Assert.True(ours.TryGetValue(keys[i], out int found), $"key 0x{keys[i]:x}");
            Assert.Equal(i, found);
        }

        foreach (long absent in new[] { -1L, 500, (1L << 40) + 1, (1L << 40) + 1500, long.MaxValue, long.MinValue })
            Assert.False(ours.ContainsKey(absent), $"key 0x{absent:x}");
    }
}
