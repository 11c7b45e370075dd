package io.ortune.graph.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

import java.nio.ByteBuffer;

/**
 * Parses a serialized message held in a (usually memory-mapped) buffer: hollowed by {@link WireHollower} so that
 * large tensor payloads stay in the buffer, then handed to protobuf with aliasing on. Malformed input that the
 * hollower cannot walk is handed to protobuf whole, so the error message is protobuf's.
 */
final class WireParsing {

    private WireParsing() {
    }

    static <M extends Message> M parse(ByteBuffer buffer, Wire.Msg root, Parser<M> parser, DecodeContext ctx,
                                       String what, String hint) throws OnnxFormatException {
        ByteBuffer source = buffer.slice();
        ctx.setBytes(source);
        byte[] bytes;
        try {
            bytes = WireHollower.hollow(source, root);
        } catch (Wire.Malformed e) {
            ctx.setBytes(null);
            bytes = new byte[source.remaining()];
            source.get(0, bytes);
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            return parser.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw ctx.fail("not a valid " + what + " (truncated or corrupt file?): " + e.getMessage() + hint, e);
        }
    }
}
