package io.ortune.training.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strict UTF-8 reading of data files, line by line, so that a byte sequence which is not UTF-8 is reported with
 * its 1-based line ({@code FILE:LINE: not valid UTF-8}) instead of the JDK's bare "Input length = 1". Lines end at
 * {@code \n}; a {@code \r} before it is dropped, like {@link java.io.BufferedReader#readLine()}.
 */
final class Utf8Lines {

    /** What a line that cannot be decoded is reported as. */
    static final String NOT_UTF8 = "not valid UTF-8";

    /** Receives each line: its text, or {@code null} when its bytes are not UTF-8; returns false to stop. */
    interface LineSink {
        boolean line(long number, String textOrNull) throws IOException;
    }

    private Utf8Lines() {
    }

    /** Calls {@code sink} for every line of {@code file} (a last line without {@code \n} included) until it returns false. */
    static void walk(Path file, LineSink sink) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            long n = 0;
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    if (!sink.line(++n, decodeLine(line.toByteArray()))) {
                        return;
                    }
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                sink.line(++n, decodeLine(line.toByteArray()));
            }
        }
    }

    /**
     * The whole of {@code bytes} as text, or fails naming the line of the first byte that is not UTF-8.
     *
     * @throws DataFormatException {@code file:line: not valid UTF-8}
     */
    static String decodeWhole(Path file, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder().decode(in, out, true);
        if (r.isError()) {
            throw new DataFormatException(file, lineOf(bytes, in.position()), NOT_UTF8);
        }
        return out.flip().toString();
    }

    /** The 1-based line holding byte {@code offset} of {@code bytes}. */
    static long lineOf(byte[] bytes, int offset) {
        long line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The line's text without a trailing {@code \r}, or {@code null} when it is not UTF-8. */
    static String decodeLine(byte[] bytes) {
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, len);
        CharBuffer out = CharBuffer.allocate(len);
        CoderResult r = decoder().decode(in, out, true);
        if (r.isError()) {
            return null;
        }
        return out.flip().toString();
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
