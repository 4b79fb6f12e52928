namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// One field of a protocol-buffer message as it sits on the wire: its number, wire type and the bytes after the key
/// (a varint's bytes, a fixed value, or a length-delimited payload without its length). Enough to read and rewrite
/// the few ONNX messages <see cref="OnnxWeightQuantizer"/> touches while copying everything else unchanged.
/// </summary>
internal readonly record struct ProtoField(int Number, int WireType, ReadOnlyMemory<byte> Payload)
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    public static List<ProtoField> Parse(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtoField>();
        var span = message.Span;
        var at = 0;
        while (at < span.Length)
        {
            var key = ReadVarint(span, ref at);
            var wireType = (int)(key & 7);
            var start = at;
            switch (wireType)
            {
                case Varint:
                    ReadVarint(span, ref at);
                    fields.Add(new ProtoField((int)(key >> 3), wireType, message[start..at]));
                    break;
                case Fixed64:
                    at += 8;
                    fields.Add(new ProtoField((int)(key >> 3), wireType, message[start..at]));
                    break;
                case Fixed32:
                    at += 4;
                    fields.Add(new ProtoField((int)(key >> 3), wireType, message[start..at]));
                    break;
                case LengthDelimited:
                    var length = checked((int)ReadVarint(span, ref at));
                    fields.Add(new ProtoField((int)(key >> 3), wireType, message.Slice(at, length)));
                    at += length;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {wireType} at byte {start}.");
            }
        }

        return fields;
    }

    public ulong AsVarint()
    {
        var at = 0;
        return ReadVarint(Payload.Span, ref at);
    }

    public string AsString() => System.Text.Encoding.UTF8.GetString(Payload.Span);

    /// <summary>Packed varints (e.g. a tensor's dims), or this one varint when it is not packed.</summary>
    public IEnumerable<long> AsVarints()
    {
        if (WireType == Varint)
        {
            return [(long)AsVarint()];
        }

        var values = new List<long>();
        var span = Payload.Span;
        var at = 0;
        while (at < span.Length)
        {
            values.Add((long)ReadVarint(span, ref at));
        }

        return values;
    }

    public void WriteTo(Stream output)
    {
        WriteVarint(output, ((ulong)Number << 3) | (uint)WireType);
        if (WireType == LengthDelimited)
        {
            WriteVarint(output, (ulong)Payload.Length);
        }

        output.Write(Payload.Span);
    }

    public static ProtoField Bytes(int number, ReadOnlySpan<byte> payload) => new(number, LengthDelimited, payload.ToArray());

    public static ProtoField Text(int number, string value) => new(number, LengthDelimited, System.Text.Encoding.UTF8.GetBytes(value));

    public static ProtoField Integer(int number, long value)
    {
        using var buffer = new MemoryStream();
        WriteVarint(buffer, (ulong)value);
        return new ProtoField(number, Varint, buffer.ToArray());
    }

    public static ProtoField Message(int number, IEnumerable<ProtoField> fields) => new(number, LengthDelimited, Serialize(fields));

    public static byte[] Serialize(IEnumerable<ProtoField> fields)
    {
        using var buffer = new MemoryStream();
        foreach (var field in fields)
        {
            field.WriteTo(buffer);
        }

        return buffer.ToArray();
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
