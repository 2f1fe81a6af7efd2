using System.Globalization;
using System.Runtime.InteropServices;
using Dwarfsmith.TestSupport;
using Xunit;

namespace Dwarfsmith.Cli.Tests;

/// <summary>The advice for huge pages on the GC heap: found by the kernel's own account of the mappings.</summary>
public class GcHeapHugePagesTests
{
    private static readonly byte[] s_maps = System.Text.Encoding.ASCII.GetBytes(string.Join('\n',
        "55d0a0000000-55d0a0010000 r--p 00000000 08:01 1234   /usr/bin/dotnet",
        "7f0000000000-7f0000400000 rw-p 00000000 00:00 0 ",
        "7f0000400000-7f0010000000 ---p 00000000 00:00 0",
        "7f0010000000-7f0010010000 rw-p 00000000 00:00 0",
        "7f0010020000-7f0010030000 rw-p 00000000 00:00 0",
        "7f0010030000-7f0010040000 r-xp 00000000 08:01 99     /usr/lib/libc.so.6",
        "7f0010040000-7f0010050000 rw-p 00000000 00:00 0      [heap]",
        "7f0010050000-7f0010060000 rw-p 00000000 00:00 0",
        "bad line",
        "7f0010060000-7f0010070000 rw-p 00000000 00:00 0"));

    private static (ulong, ulong)? Reservation(ulong address) =>
        GcHeapHugePages.TryFindReservation(s_maps, address, out ulong start, out ulong end) ? (start, end) : null;

    [Fact]
    public void The_reservation_is_the_run_of_adjacent_anonymous_mappings_around_the_address()
    {
        Assert.Equal((0x7f0000000000UL, 0x7f0010010000UL), Reservation(0x7f0000500000));
        Assert.Equal((0x7f0000000000UL, 0x7f0010010000UL), Reservation(0x7f0000000000));
        Assert.Equal((0x7f0000000000UL, 0x7f0010010000UL), Reservation(0x7f001000ffff));

        // A gap ends the run; a file mapping or a named one ([heap]) is no part of it and holds no heap.
        Assert.Equal((0x7f0010020000UL, 0x7f0010030000UL), Reservation(0x7f0010020010));
        Assert.Null(Reservation(0x7f0010030000));
        Assert.Null(Reservation(0x7f0010040000));
        Assert.Null(Reservation(0x7f0010010000)); // in the gap
        Assert.Null(Reservation(0x10));

        // A line that is no mapping ends a run too; the last line needs no newline.
        Assert.Equal((0x7f0010050000UL, 0x7f0010060000UL), Reservation(0x7f0010050000));
        Assert.Equal((0x7f0010060000UL, 0x7f0010070000UL), Reservation(0x7f0010060000));
    }

    [SkippableFact]
    public void Without_madvise_mode_no_advice_is_given()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "transparent huge pages are Linux's");
        var capability = HostCapabilities.HugePageAdvice;
        Skip.If(capability.Available, $"this kernel gives huge pages on madvise ({capability.Reason})");

        // "always" needs no advice and "never" would ignore it.
        Assert.False(GcHeapHugePages.Advise(out _, out _));
    }

    [SkippableFact]
    public void Objects_allocated_after_the_advice_live_in_memory_the_kernel_marks_for_huge_pages()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "transparent huge pages are Linux's");
        HostCapabilities.HugePageAdvice.SkipUnlessAvailable();
        bool advised = GcHeapHugePages.Advise(out ulong start, out ulong end);

        Assert.True(advised);
        Assert.True(end - start >= 1UL << 30, $"the heap's reservation is gigabytes, not {end - start:N0} bytes");

        // A large array: in a region the runtime commits now, after the advice, so the flag was inherited.
        var array = new byte[8 << 20];
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            ulong address = (ulong)handle.AddrOfPinnedObject();
            Assert.InRange(address, start, end - 1);
            Assert.Contains("hg", VmFlagsOf(address), StringComparison.Ordinal);
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>The VmFlags line of the mapping holding <paramref name="address"/> in /proc/self/smaps ("hg": advised for huge pages).</summary>
    private static string VmFlagsOf(ulong address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong low)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong high))
            {
                inside = low <= address && address < high;
            }
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"no mapping holds 0x{address:x}");
    }
}
