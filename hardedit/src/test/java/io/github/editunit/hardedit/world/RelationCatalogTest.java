package io.github.editunit.hardedit.world;

import org.junit.jupiter.api.Test;

import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

class RelationCatalogTest {

    @Test
    void relationsLookLikeCounterFact() {
        assertThat(RelationCatalog.relations()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(new HashSet<>(RelationCatalog.relations().stream().map(Relation::id).toList()))
                .hasSameSizeAs(RelationCatalog.relations()).contains("P103", "P27", "P176", "P36", "P30", "P37");
        for (Relation r : RelationCatalog.relations()) {
            assertThat(r.id()).matches("P\\d+");
            assertThat(r.templates()).hasSizeBetween(4, 6);
            assertThat(r.templates()).filteredOn(t -> t.startsWith("{}")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(r.templates()).allSatisfy(t -> assertThat(t).doesNotEndWith(" ").endsWith(t.strip()));
            assertThat(r.objects()).hasSizeBetween(r.id().equals("P30") ? 7 : 10, 30)
                    .doesNotHaveDuplicates().allSatisfy(o -> assertThat(o).doesNotContain(" "));
        }
        for (SubjectKind kind : SubjectKind.values()) {
            assertThat(RelationCatalog.relationsFor(kind)).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void fillKeepsTheSubjectVerbatim() {
        assertThat(Relation.fill("The mother tongue of {} is", "Velmora")).isEqualTo("The mother tongue of Velmora is");
        assertThat(Relation.fill("{}'s genre is", "The Brisk Lanterns")).isEqualTo("The Brisk Lanterns' genre is");
        assertThat(Relation.fill("{}'s genre is", "Velmora")).isEqualTo("Velmora's genre is");
    }
}
