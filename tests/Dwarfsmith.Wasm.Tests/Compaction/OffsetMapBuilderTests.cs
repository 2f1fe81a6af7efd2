using Dwarfsmith.Wasm.Compaction;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Compaction;

/// <summary>
/// A builder split in two, as the compactor fills it from two threads: the later part's boundaries
/// appended to the first give the map one builder gives, whether either part outgrew its share of
/// the arrays or not. A body's boundaries added at once give what adding them one by one gives.
/// </summary>
public class OffsetMapBuilderTests
{
    [Theory]
    [InlineData(64, 10, 10, 20)] // both fit
    [InlineData(64, 50, 10, 20)] // the first outgrows its part and moves to arrays of its own
    [InlineData(64, 10, 50, 20)] // the later one outgrows its part
    [InlineData(16, 30, 30, 4)] // both
    public void A_split_builder_appends_to_the_same_map(int capacity, int firstCount, int laterCount, int laterShare)
    {
        var whole = new CodeOffsetMap.Builder(capacity);
        var first = new CodeOffsetMap.Builder(capacity);
        var later = first.SplitOff(laterShare);
        uint laterOldStart = (uint)(firstCount * 3), laterNewStart = (uint)(firstCount * 2);
        for (int i = 0; i < laterCount; i++)
            later.Add(laterOldStart + (uint)(i * 3), (uint)(i * 2)); // relative to its own new start
        for (int i = 0; i < firstCount; i++)
        {
            first.Add((uint)(i * 3), (uint)(i * 2));
            whole.Add((uint)(i * 3), (uint)(i * 2));
        }

        for (int i = 0; i < laterCount; i++)
            whole.Add(laterOldStart + (uint)(i * 3), laterNewStart + (uint)(i * 2));
        first.Append(later, laterNewStart);

        var expected = whole.Build();
        var actual = first.Build();
        Assert.Equal(expected.OldOffsets.ToArray(), actual.OldOffsets.ToArray());
        Assert.Equal(expected.NewOffsets.ToArray(), actual.NewOffsets.ToArray());
    }

    [Theory]
    [InlineData(16, 0, 3)]
    [InlineData(16, 5, 1000)] // far more than the arrays hold, and than twice what they hold
    [InlineData(4096, 100, 1000)] // in a later part's share
    public void A_range_adds_what_single_boundaries_add(int capacity, int before, int count)
    {
        var single = new CodeOffsetMap.Builder(capacity);
        var ranged = new CodeOffsetMap.Builder(capacity);
        var target = capacity > 1000 ? ranged.SplitOff(capacity / 2) : ranged;
        var other = capacity > 1000 ? single.SplitOff(capacity / 2) : single;
        for (int i = 0; i < before; i++)
        {
            other.Add((uint)i * 2, (uint)i);
            target.Add((uint)i * 2, (uint)i);
        }

        var oldPositions = Enumerable.Range(0, count).Select(i => i * 5).ToArray();
        var newPositions = Enumerable.Range(0, count).Select(i => i * 3).ToArray();
        uint oldBase = (uint)before * 2, newBase = (uint)before;
        for (int i = 0; i < count; i++)
            other.Add(oldBase + (uint)oldPositions[i], newBase + (uint)newPositions[i]);
        target.AddRange(oldBase, oldPositions, newBase, newPositions);

        var expected = other.Build();
        var actual = target.Build();
        Assert.Equal(expected.OldOffsets.ToArray(), actual.OldOffsets.ToArray());
        Assert.Equal(expected.NewOffsets.ToArray(), actual.NewOffsets.ToArray());
    }

    [Theory]
    [InlineData(11u, new[] { 0, 4, 4 }, new[] { 0, 2, 3 })] // an old offset repeated
    [InlineData(11u, new[] { 0, 4, 8 }, new[] { 0, 3, 2 })] // a new offset going back
    [InlineData(9u, new[] { 1, 4 }, new[] { 1, 2 })] // the first one not after the last added
    public void A_range_out_of_order_is_refused(uint offsetBase, int[] oldPositions, int[] newPositions)
    {
        var builder = new CodeOffsetMap.Builder();
        builder.Add(10, 10);
        var error = Assert.Throws<ArgumentException>(() => builder.AddRange(offsetBase, oldPositions, offsetBase, newPositions));
        Assert.Contains("does not follow", error.Message, StringComparison.Ordinal);
    }
}
