using System.Diagnostics;

namespace Dwarfsmith.Wasm;

/// <summary>
/// LEB128 over spans, with the binary format's limits: an N-bit value takes at most ceil(N/7) bytes,
/// and the last of them holds no bits beyond the value's width (zeros for an unsigned value, copies
/// of the sign bit for a signed one). <see cref="WasmReader"/> turns what these find into its errors
/// and <see cref="WasmWriter"/> writes through them; the code compactor's fast path copies LEBs with
/// them without decoding whole instructions, so both paths accept and refuse exactly the same bytes.
/// </summary>
internal static class Leb128
{
    public enum Status
    {
        Ok,
        /// <summary>The data ends inside the number.</summary>
        End,
        /// <summary>The last byte allowed for the width says more follow ("integer representation too long").</summary>
        TooLong,
        /// <summary>The last byte has bits beyond the width ("integer too large").</summary>
        TooLarge,
    }

    /// <summary>
    /// Reads an unsigned LEB of at most <paramref name="bits"/> bits (32 or 64). On success
    /// <paramref name="position"/> moves past it; otherwise it is the offset of the offending byte
    /// (the data's length for <see cref="Status.End"/>).
    /// </summary>
    public static Status ReadUnsigned(ReadOnlySpan<byte> data, ref int position, int bits, out ulong value)
    {
        Debug.Assert(bits is 32 or 64);
        ulong result = 0;
        int at = position, lastShift = (bits - 1) / 7 * 7;
        for (int shift = 0; ; shift += 7)
        {
            if (at >= data.Length)
                return Fail(Status.End, at, ref position, out value);
            ulong b = data[at];
            if (shift == lastShift)
            {
                if (b >= 0x80)
                    return Fail(Status.TooLong, at, ref position, out value);
                if (b >> (bits - shift) != 0)
                    return Fail(Status.TooLarge, at, ref position, out value);
            }

            result |= (b & 0x7F) << shift;
            at++;
            if (b < 0x80)
            {
                position = at;
                value = result;
                return Status.Ok;
            }
        }
    }

    /// <summary>Reads a signed LEB of at most <paramref name="bits"/> bits (32, 33 or 64); as <see cref="ReadUnsigned"/>.</summary>
    public static Status ReadSigned(ReadOnlySpan<byte> data, ref int position, int bits, out long value)
    {
        Debug.Assert(bits is 32 or 33 or 64);
        long result = 0;
        int at = position, lastByte = (bits + 6) / 7 - 1;
        for (int i = 0; ; i++)
        {
            if (at >= data.Length)
                return Fail(Status.End, at, ref position, out value);
            int b = data[at], shift = i * 7;
            if (i == lastByte)
            {
                if (b >= 0x80)
                    return Fail(Status.TooLong, at, ref position, out value);
                // The bits of the last byte above the value's width must repeat its sign bit.
                int signAndUnused = (sbyte)(b << 1) >> (bits - shift);
                if (signAndUnused != 0 && signAndUnused != -1)
                    return Fail(Status.TooLarge, at, ref position, out value);
            }

            result |= (long)(b & 0x7F) << shift;
            at++;
            if (b < 0x80)
            {
                shift += 7;
                if (shift < 64 && (b & 0x40) != 0)
                    result |= -1L << shift;
                position = at;
                value = result;
                return Status.Ok;
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> in its minimal number of bytes, or padded with continuation
    /// bytes to <paramref name="width"/> when that is more; returns the number of bytes written.
    /// </summary>
    public static int WriteUnsigned(Span<byte> output, ulong value, int width = 0)
    {
        int count = 0;
        while (true)
        {
            byte low = (byte)(value & 0x7F);
            value >>= 7;
            if (value == 0 && count + 1 >= width)
            {
                output[count] = low;
                return count + 1;
            }

            output[count++] = (byte)(low | 0x80);
        }
    }

    /// <summary>As <see cref="WriteUnsigned"/>, for a signed value (padding repeats the sign).</summary>
    public static int WriteSigned(Span<byte> output, long value, int width = 0)
    {
        int count = 0;
        while (true)
        {
            byte low = (byte)(value & 0x7F);
            value >>= 7;
            bool complete = (value == 0 && (low & 0x40) == 0) || (value == -1 && (low & 0x40) != 0);
            if (complete && count + 1 >= width)
            {
                output[count] = low;
                return count + 1;
            }

            output[count++] = (byte)(low | 0x80);
        }
    }

    private static Status Fail(Status status, int at, ref int position, out ulong value)
    {
        position = at;
        value = 0;
        return status;
    }

    private static Status Fail(Status status, int at, ref int position, out long value)
    {
        position = at;
        value = 0;
        return status;
    }
}
