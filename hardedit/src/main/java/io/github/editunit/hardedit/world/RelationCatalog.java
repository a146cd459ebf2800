package io.github.editunit.hardedit.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fixed relations of the fact world (22, modelled on CounterFact) and which subject kinds they apply to.
 * Every relation has five templates: at least two start with {@code "{}"} (subject opens the prompt) and
 * at least two do not. The continent relation has only seven objects; all others have 10 to 20.
 */
public final class RelationCatalog {

    static final List<String> LANGUAGES = List.of("French", "English", "Spanish", "German", "Italian", "Dutch",
            "Russian", "Polish", "Swedish", "Finnish", "Greek", "Japanese", "Korean", "Portuguese", "Arabic",
            "Turkish", "Hindi", "Danish", "Hungarian", "Czech");
    static final List<String> COUNTRIES = List.of("France", "Germany", "Spain", "Italy", "Japan", "Canada",
            "Brazil", "Mexico", "Sweden", "Norway", "Poland", "Egypt", "India", "Australia", "Ireland", "Greece",
            "Portugal", "Chile", "Kenya", "Finland");
    static final List<String> CITIES = List.of("Paris", "London", "Berlin", "Tokyo", "Rome", "Madrid", "Vienna",
            "Dublin", "Oslo", "Cairo", "Lima", "Seoul", "Athens", "Prague", "Warsaw", "Lisbon", "Helsinki",
            "Stockholm", "Toronto", "Sydney");
    static final List<String> COMPANIES = List.of("Google", "Microsoft", "IBM", "Apple", "Intel", "Nokia", "Sony",
            "Siemens", "Toyota", "BBC", "NASA", "Oracle", "Adobe", "Samsung", "Honda", "Boeing", "Airbus",
            "Philips", "Netflix", "Nintendo");

    private static final Map<String, Relation> RELATIONS = new LinkedHashMap<>();
    private static final Map<SubjectKind, List<String>> BY_KIND = new EnumMap<>(SubjectKind.class);

    static {
        add("P103", "native language", LANGUAGES,
                "{} is a native speaker of", "{}'s mother tongue is", "{} spoke the language",
                "The mother tongue of {} is", "The native language of {} is");
        add("P27", "country of citizenship", COUNTRIES,
                "{} is a citizen of", "{} holds a citizenship from", "{} carries a passport from",
                "The citizenship of {} is", "The passport of {} was issued by");
        add("P106", "occupation", List.of("politician", "actor", "journalist", "poet", "architect", "lawyer",
                        "physician", "painter", "diplomat", "novelist", "chemist", "economist", "photographer",
                        "philosopher", "composer", "engineer", "astronomer", "historian", "sculptor", "banker"),
                "{} works professionally as", "{}'s profession is", "{} earns a living as",
                "The profession of {} is", "By profession, {} is");
        add("P101", "field of work", List.of("physics", "chemistry", "mathematics", "biology", "medicine",
                        "economics", "linguistics", "philosophy", "history", "geology", "astronomy", "psychology",
                        "sociology", "botany", "zoology"),
                "{} works in the field of", "{} specializes in", "{}'s area of work is",
                "The expertise of {} is", "The research of {} focuses on");
        add("P140", "religion", List.of("Christianity", "Islam", "Buddhism", "Judaism", "Hinduism", "Sikhism",
                        "Taoism", "Shinto", "Jainism", "Zoroastrianism"),
                "{} is affiliated with the religion", "{} follows the religion of", "{}'s religion is",
                "The official religion of {} is", "The faith of {} is");
        add("P108", "employer", COMPANIES,
                "{} works for", "{} is employed by", "{}'s employer is",
                "The employer of {} is", "The company that employs {} is");
        add("P641", "sport", List.of("basketball", "baseball", "tennis", "cricket", "golf", "hockey", "rugby",
                        "volleyball", "boxing", "cycling", "swimming", "badminton", "handball", "skiing", "rowing"),
                "{} plays the sport of", "{} professionally plays the sport", "{}'s sport is",
                "The sport played by {} is", "The favourite sport of {} is");
        add("P413", "position played on team", List.of("goalkeeper", "defender", "midfielder", "forward",
                        "striker", "winger", "sweeper", "fullback", "playmaker", "libero"),
                "{} plays as", "{} plays in the position of", "{}'s position on the pitch is",
                "The position of {} is", "The team uses {} as");
        add("P1303", "instrument", List.of("piano", "guitar", "violin", "cello", "drums", "trumpet", "saxophone",
                        "flute", "clarinet", "harp", "organ", "banjo", "accordion", "trombone", "oboe"),
                "{} plays the", "{} performs on the", "{}'s instrument is the",
                "The instrument of {} is the", "The instrument played by {} is the");
        add("P136", "genre", List.of("jazz", "rock", "blues", "opera", "punk", "funk", "reggae", "techno", "soul",
                        "disco", "folk", "metal", "gospel", "grunge", "ska"),
                "{} is known for performing", "{} performs the genre", "{}'s genre is",
                "The genre of {} is", "The music of {} is best described as");
        add("P740", "location of formation", CITIES,
                "{} was formed in", "{} was founded in the city of", "{} started out in",
                "The home town of {} is", "The birthplace of {} is");
        add("P159", "headquarters location", CITIES,
                "{} is headquartered in", "{} has its head office in", "{}'s headquarters are in",
                "The headquarters of {} is in", "The head office of {} is located in");
        add("P452", "industry", List.of("banking", "retail", "mining", "aviation", "publishing", "insurance",
                        "shipping", "software", "tourism", "agriculture", "construction", "textiles",
                        "pharmaceuticals", "telecommunications", "energy"),
                "{} operates in the industry of", "{} does business in", "{}'s industry is",
                "The industry of {} is", "The main business of {} is");
        add("P176", "manufacturer", List.of("Toyota", "Honda", "Nokia", "Sony", "Apple", "Microsoft", "Intel",
                        "Samsung", "Nintendo", "Fiat", "Renault", "Boeing", "Airbus", "Yamaha", "Canon", "Nikon",
                        "Volvo", "Ford", "Siemens", "Philips"),
                "{} is produced by", "{} is a product of", "{}, developed by",
                "The manufacturer of {} is", "The maker of {} is");
        add("P495", "country of origin", COUNTRIES,
                "{} originates from", "{} comes from the country of", "{}'s country of origin is",
                "The country of origin of {} is", "The origin of {} is");
        add("P36", "capital", CITIES,
                "{}'s capital is", "{}'s capital city is", "{}, whose capital is",
                "The capital of {} is", "The capital city of {} is");
        add("P30", "continent", List.of("Europe", "Asia", "Africa", "Antarctica", "Oceania", "America", "Australia"),
                "{} is located in the continent of", "{} belongs to the continent of", "{} is a part of the continent",
                "The continent of {} is", "The landmass of {} is");
        add("P37", "official language", LANGUAGES,
                "{}'s official language is", "{} has the official language", "{}, where the official language is",
                "The official language of {} is", "In {}, the official language is");
        add("P17", "country", COUNTRIES,
                "{} is located in the country of", "{} is a city in", "{}, a city in",
                "The country of {} is", "The city of {} lies in");
        add("P364", "original language of film or TV show", LANGUAGES,
                "{} was originally made in", "{} was filmed in the language", "{}'s original language is",
                "The original language of {} is", "The language of {} is");
        add("P407", "language of work", LANGUAGES,
                "{} was written in", "{} was first printed in", "{}'s text is in",
                "The language of {} is", "The book {} is written in");
        add("P449", "original broadcaster", List.of("BBC", "CBS", "NBC", "ABC", "HBO", "Fox", "MTV", "CNN",
                        "Netflix", "PBS", "ESPN", "Showtime"),
                "{} premiered on", "{} was originally aired on", "{} first aired on",
                "The original network of {} is", "The network that broadcast {} is");

        kind(SubjectKind.PERSON, "P103", "P27", "P106", "P101", "P140", "P108");
        kind(SubjectKind.FOOTBALL_PLAYER, "P413", "P27", "P103");
        kind(SubjectKind.ATHLETE, "P641", "P27", "P103");
        kind(SubjectKind.MUSICIAN, "P1303", "P136", "P103", "P27");
        kind(SubjectKind.BAND, "P136", "P740");
        kind(SubjectKind.COMPANY, "P159", "P452");
        kind(SubjectKind.PRODUCT, "P176", "P495");
        kind(SubjectKind.COUNTRY, "P36", "P30", "P37");
        kind(SubjectKind.CITY, "P17", "P30");
        kind(SubjectKind.FILM, "P364", "P495");
        kind(SubjectKind.BOOK, "P407", "P495");
        kind(SubjectKind.TV_SHOW, "P449", "P364", "P495");
    }

    private RelationCatalog() {
    }

    private static void add(String id, String name, List<String> objects, String... templates) {
        Relation r = new Relation(id, name, List.of(templates), objects);
        long opening = r.templates().stream().filter(t -> t.startsWith("{}")).count();
        if (opening < 2 || r.templates().size() - opening < 2) {
            throw new IllegalStateException(id + " needs two templates that start with {} and two that do not");
        }
        RELATIONS.put(id, r);
    }

    private static void kind(SubjectKind kind, String... relationIds) {
        for (String id : relationIds) {
            if (!RELATIONS.containsKey(id)) {
                throw new IllegalStateException("unknown relation " + id);
            }
        }
        BY_KIND.put(kind, List.of(relationIds));
    }

    /** All relations, in catalog order. */
    public static List<Relation> relations() {
        return List.copyOf(RELATIONS.values());
    }

    /** The relation with this id. */
    public static Relation relation(String id) {
        Relation r = RELATIONS.get(id);
        if (r == null) {
            throw new IllegalArgumentException("unknown relation " + id);
        }
        return r;
    }

    /** The relations that apply to a kind of subject, in catalog order. */
    public static List<Relation> relationsFor(SubjectKind kind) {
        List<Relation> out = new ArrayList<>();
        for (String id : BY_KIND.get(kind)) {
            out.add(RELATIONS.get(id));
        }
        return Collections.unmodifiableList(out);
    }
}
