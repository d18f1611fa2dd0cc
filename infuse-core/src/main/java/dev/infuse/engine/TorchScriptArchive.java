package dev.infuse.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive for a module with methods and no parameters, so infuse can load its own
 * kernels without Python or a binary file in the repository. The format is the one {@code torch.jit.save}
 * writes: an uncompressed zip holding the module's code, a pickle of its object, its constants and a version.
 */
final class TorchScriptArchive {
    /** Oldest file format libtorch accepts with these ops; torch.jit.save writes the same for them. */
    private static final String FORMAT_VERSION = "3\n";

    private TorchScriptArchive() {}

    static byte[] build(String archiveName, String className, String source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setMethod(ZipOutputStream.STORED);
            put(zip, archiveName + "/data.pkl", objectPickle("__torch__", className));
            put(zip, archiveName + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            put(zip, archiveName + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // an empty tuple
            put(zip, archiveName + "/version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /**
     * Pickle (protocol 2) of an instance of {@code module.name} whose only attribute is {@code training = True}:
     * GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, BINUNICODE "training", NEWTRUE, SETITEM, BUILD, STOP.
     */
    static byte[] objectPickle(String module, String name) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.write('c');
        p.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        p.write(')');
        p.write(0x81);
        p.write('}');
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X');
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x88);
        p.write('s');
        p.write('b');
        p.write('.');
        return p.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
