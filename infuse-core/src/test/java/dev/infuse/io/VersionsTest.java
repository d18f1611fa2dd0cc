package dev.infuse.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The versions the code reports are the pom's, put there by the build, not literals that drift. */
class VersionsTest {
    @Test
    void versionsComeFromThePom() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getDocumentElement();
        assertEquals(child(project, "version"), Versions.infuse());
        Element properties = (Element) project.getElementsByTagName("properties").item(0);
        assertEquals(child(properties, "djl.version"), Versions.djl());
        assertEquals(child(properties, "pytorch.version"), Versions.pytorch());
    }

    @Test
    void provenanceCarriesThem(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("provenance.json");
        Provenance.of("test").write(file);
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        assertEquals(Versions.infuse(), o.get("infuse_version").getAsString());
        assertEquals(Versions.djl(), o.get("djl").getAsString());
        assertEquals(Versions.pytorch(), o.get("pytorch").getAsString());
    }

    /** The text of {@code parent}'s direct child element {@code name}. */
    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no <" + name + "> under <" + parent.getTagName() + ">");
    }
}
