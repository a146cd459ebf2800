package io.github.editunit.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * editunit-bom has no parent (importing it must not import the build's test libraries), so it repeats
 * the versions of the parent POM: they must stay equal, or a user's project would run the engine on
 * another JUnit Platform or DJL than the one it was built and tested with.
 */
class BomVersionsTest {

    private static final List<String> SHARED = List.of("junit.version", "allure.version", "djl.version",
            "pytorch.native.version", "pytorch.jni.version");

    private static Element properties(Path pom) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        return (Element) project.getElementsByTagName("properties").item(0);
    }

    private static String property(Element properties, String name) {
        NodeList nodes = properties.getElementsByTagName(name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    private static String element(Path pom, String name) throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        for (org.w3c.dom.Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    @Test
    @DisplayName("the BOM pins JUnit, Allure, DJL and libtorch at the parent's versions, and has the build's version "
            + "(rules out: a BOM left behind by a version bump of the parent)")
    void bomVersionsEqualTheParents() throws Exception {
        Path root = Paths.get("..").toAbsolutePath().normalize();
        Element parent = properties(root.resolve("pom.xml"));
        Element bom = properties(root.resolve("bom/pom.xml"));
        for (String name : SHARED) {
            assertThat(property(bom, name)).as(name).isNotNull().isEqualTo(property(parent, name));
        }
        assertThat(element(root.resolve("bom/pom.xml"), "version")).isEqualTo(element(root.resolve("pom.xml"), "version"));
    }
}
