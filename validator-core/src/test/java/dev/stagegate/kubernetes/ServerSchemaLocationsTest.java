package dev.stagegate.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSchemaLocationsTest {

    @Test
    void absoluteDirectoriesAndTemplatesAreKeptInOrder() {
        ServerSchemaLocations locations = ServerSchemaLocations.parse(List.of("/srv/schemas/k8s",
                "/srv/catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"));

        assertThat(locations.templates()).extracting(SchemaLocationTemplate::text).containsExactly("/srv/schemas/k8s",
                "/srv/catalog/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json");
    }

    @Test
    void aRelativePathIsRefused() {
        assertThatThrownBy(() -> ServerSchemaLocations.parse(List.of("schemas/k8s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--schema-location 'schemas/k8s' is not an absolute path");
    }

    @Test
    void aTemplateThatStartsWithAVariableIsNotAbsolute() {
        assertThatThrownBy(() -> ServerSchemaLocations.parse(List.of("{{ .Group }}/x.json")))
                .hasMessageContaining("is not an absolute path");
    }

    @Test
    void aUrlIsRefusedWithItsReason() {
        assertThatThrownBy(() -> ServerSchemaLocations.parse(List.of("https://example.com/schemas")))
                .hasMessageContaining("is a URL; stagegate never reads schemas over the network");
    }

    @Test
    void climbingAfterAVariableIsRefused() {
        assertThatThrownBy(() -> ServerSchemaLocations.parse(List.of("/srv/{{ .Group }}/../secret.json")))
                .hasMessageContaining("follows a variable");
    }
}
