package io.github.editunit.hardedit.world;

/** The kinds of subjects in the fact world, each with the relations that apply to it. */
public enum SubjectKind {
    PERSON, FOOTBALL_PLAYER, ATHLETE, MUSICIAN, BAND, COMPANY, PRODUCT, COUNTRY, CITY, FILM, BOOK, TV_SHOW
}
