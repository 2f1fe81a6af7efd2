using Dwarfsmith.Wasm.Compaction;
using Xunit;

namespace Dwarfsmith.Wasm.Tests.Compaction;

/// <summary>
/// A builder split in two, as the compactor fills it from two threads: the later part's boundaries
/// appended to the first give the map one builder gives, whether either part outgrew its share of
/// the arrays or not.
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
}
