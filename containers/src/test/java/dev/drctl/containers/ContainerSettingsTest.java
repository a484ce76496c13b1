package dev.drctl.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSettingsTest {
    @Test
    void networkModesParseFromTheirConfigNames() {
        assertThat(ContainerSettings.ContainerNetwork.parse("host")).isEqualTo(ContainerSettings.ContainerNetwork.HOST);
        assertThat(ContainerSettings.ContainerNetwork.parse(" User-Defined "))
                .isEqualTo(ContainerSettings.ContainerNetwork.USER_DEFINED);
        assertThatThrownBy(() -> ContainerSettings.ContainerNetwork.parse("bridge"))
                .isInstanceOf(DrctlException.class).hasMessage("unknown container network 'bridge': host or user-defined");
    }

    @Test
    void officialImagesAreTheLocalEnvironmentsVersionsAndOnlyMysqlHasNoStandIn() {
        assertThat(ContainerSettings.officialImage(Engine.POSTGRESQL)).isEqualTo("postgres:15");
        assertThat(ContainerSettings.officialImage(Engine.MARIADB)).isEqualTo("mariadb:10.11");
        assertThat(ContainerSettings.officialImage(Engine.MYSQL)).isEqualTo("mysql:8.4");
        assertThat(ContainerSettings.standInImage(Engine.POSTGRESQL)).contains("localhost/drctl-postgres:15");
        assertThat(ContainerSettings.standInImage(Engine.MARIADB)).contains("localhost/drctl-mariadb:10.11");
        assertThat(ContainerSettings.standInImage(Engine.MYSQL)).isEmpty();
    }

    @Test
    void imageAndNetworkComeFromTheEnvironment() {
        var env = Map.of("DRCTL_CONTAINER_IMAGE_MYSQL", " registry.example.com/mysql:8.4 ", "DRCTL_CONTAINER_NETWORK",
                "host");
        assertThat(ContainerSettings.configured(Engine.MYSQL, env)).isEqualTo(new ContainerSettings(
                "registry.example.com/mysql:8.4", ContainerSettings.ContainerNetwork.HOST));
        assertThatThrownBy(() -> ContainerSettings.configured(Engine.MYSQL, Map.of("DRCTL_CONTAINER_IMAGE_MYSQL",
                "mysql:8.4", "DRCTL_CONTAINER_NETWORK", "bridge")))
                .isInstanceOf(DrctlException.class)
                .hasMessage("DRCTL_CONTAINER_NETWORK: unknown container network 'bridge': host or user-defined");
    }

    @Test
    void drillsRunOnTheHostNetworkAndRefuseAnotherSayingWhy() {
        var image = Map.of("DRCTL_CONTAINER_IMAGE_POSTGRESQL", "postgres:15");
        assertThat(ContainerDrillEnvironment.settings(Engine.POSTGRESQL, image))
                .isEqualTo(new ContainerSettings("postgres:15", ContainerSettings.ContainerNetwork.HOST));
        var userDefined = new HashMap<>(image);
        userDefined.put("DRCTL_CONTAINER_NETWORK", "user-defined");
        assertThatThrownBy(() -> ContainerDrillEnvironment.settings(Engine.POSTGRESQL, userDefined))
                .isInstanceOf(DrctlException.class).hasMessageContaining("drills need the host network");
    }
}
