package io.ortune.graph.onnx;
import org.junit.jupiter.api.Test;
import java.nio.file.*;
class ScratchTest {
    @Test
    void show() throws Exception {
        Path f = RoundTrip.root().resolve("testdata/onnx-backend/pytorch-converted/test_Conv2d/model.onnx");
        var m = OnnxReader.read(f);
        System.out.println("DIRECT=" + m.graph().initializer("1").constant().bytes().isDirect());
    }
}
