package dev.drctl.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drctl.topology.DrctlException;
import dev.drctl.topology.Engine;
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
}
