using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// The madvise call is blittable and needs no marshalling stub (one was JIT-compiled in every process of the JIT build).
[assembly: DisableRuntimeMarshalling]

namespace Dwarfsmith.Cli;

/// <summary>
/// Asks Linux for transparent huge pages on the GC heap when the system leaves them to
/// <c>madvise</c> (Debian's default). A DWARF rewrite allocates its whole model once, as fresh
/// memory, and .NET commits the heap 64 KB at a time with 4 KB pages: on SQLite that was 16,000 page
/// faults and about a sixth of `rewrite`'s and `compact`'s CPU time in the kernel. With 2 MB pages
/// they fell to 5,700, and both commands ran about 11% faster. The runtime has no setting for it
/// (its large-page support needs reserved hugetlbfs pages), so the advice goes to the address range
/// the heap is reserved in, found from an object's address in <c>/proc/self/maps</c>.
/// <c>DWARFSMITH_HUGE_PAGES=0</c> turns it off.
/// </summary>
/// <remarks>
/// Every command pays for this at start-up, so it reads bytes and parses them by hand: strings,
/// number parsing and generic collections here had cost 8 ms of JIT per process.
/// </remarks>
public static class GcHeapHugePages
{
    private const int MadvHugePage = 14;

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);

    /// <summary>Advises huge pages for the GC heap's reservation; false when it did not (another OS or THP mode, or no procfs).</summary>
    public static bool Advise(out ulong start, out ulong end)
    {
        start = end = 0;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("DWARFSMITH_HUGE_PAGES") == "0")
            return false;
        try
        {
            // "always" needs no advice, "never" ignores it.
            if (ReadToEnd("/sys/kernel/mm/transparent_hugepage/enabled").AsSpan().IndexOf("[madvise]"u8) < 0)
                return false;
            return TryFindReservation(ReadToEnd("/proc/self/maps"), AnyHeapAddress(), out start, out end)
                && Madvise((nint)start, (nuint)(end - start), MadvHugePage) == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // no procfs or sysfs (a container), or no libc: the heap keeps its small pages
        }
    }

    /// <summary>Reads a procfs or sysfs file, whose size as stat tells it is 0 or a page (File.ReadAllBytes fails on the latter).</summary>
    private static byte[] ReadToEnd(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[16 * 1024];
        int length = 0;
        int read;
        while ((read = file.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2);
        }

        Array.Resize(ref buffer, length);
        return buffer;
    }

    private static ulong AnyHeapAddress()
    {
        var handle = GCHandle.Alloc(new byte[16], GCHandleType.Pinned);
        try
        {
            return (ulong)handle.AddrOfPinnedObject();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// The run of adjacent anonymous mappings (lines of <c>/proc/self/maps</c>) that holds
    /// <paramref name="address"/>: the runtime reserves the heap as one inaccessible mapping and
    /// commits parts of it, which splits it into neighbours of different protections.
    /// </summary>
    public static bool TryFindReservation(ReadOnlySpan<byte> maps, ulong address, out ulong start, out ulong end)
    {
        ulong runStart = 0, runEnd = 0;
        bool inRun = false, found = false;
        while (!maps.IsEmpty)
        {
            int newline = maps.IndexOf((byte)'\n');
            var line = newline < 0 ? maps : maps[..newline];
            maps = newline < 0 ? default : maps[(newline + 1)..];
            if (!TryParseMapping(line, out ulong low, out ulong high, out bool anonymous) || !anonymous || (inRun && low != runEnd))
            {
                if (found)
                    break;
                inRun = false;
                if (!anonymous)
                    continue;
            }

            if (!inRun)
            {
                runStart = low;
                inRun = true;
            }

            runEnd = high;
            found |= low <= address && address < high;
        }

        start = found ? runStart : 0;
        end = found ? runEnd : 0;
        return found;
    }

    /// <summary>Parses "start-end perms offset dev inode [path]"; anonymous means inode 0 and no path.</summary>
    private static bool TryParseMapping(ReadOnlySpan<byte> line, out ulong start, out ulong end, out bool anonymous)
    {
        anonymous = false;
        end = 0;
        int at = 0;
        if (!TryParseHex(line, ref at, out start) || at >= line.Length || line[at++] != (byte)'-' || !TryParseHex(line, ref at, out end))
            return false;
        for (int field = 0; field < 3; field++) // perms, offset, dev
        {
            at = SkipSpaces(line, at);
            if (at >= line.Length)
                return false;
            while (at < line.Length && line[at] != (byte)' ')
                at++;
        }

        at = SkipSpaces(line, at);
        anonymous = at < line.Length && line[at] == (byte)'0' && SkipSpaces(line, at + 1) == line.Length;
        return true;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> line, int at)
    {
        while (at < line.Length && line[at] == (byte)' ')
            at++;
        return at;
    }

    private static bool TryParseHex(ReadOnlySpan<byte> text, ref int at, out ulong value)
    {
        value = 0;
        int first = at;
        for (; at < text.Length && at - first < 16; at++)
        {
            byte c = text[at];
            int digit = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : c is >= (byte)'a' and <= (byte)'f' ? c - 'a' + 10 : -1;
            if (digit < 0)
                break;
            value = (value << 4) | (uint)digit;
        }

        return at > first;
    }
}
