package dev.stagegate.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.notes.Note;
import org.eclipse.jgit.notes.NoteMap;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Evidence notes as one commit of the notes ref holds them. The hook opens the store at the
 * ref's value before the push, so evidence pushed together with a promotion never counts for
 * it. Lookups go by annotated commit through the notes tree's fan-out, so a push never reads
 * every note.
 */
public final class EvidenceStore {

    /** Notes larger than this are not evidence (a record line is a few hundred bytes). */
    public static final int MAX_NOTE_BYTES = 1024 * 1024;

    private static final EvidenceStore EMPTY = new EvidenceStore(null, null);

    private final ObjectReader reader;
    private final NoteMap notes;

    private EvidenceStore(ObjectReader reader, NoteMap notes) {
        this.reader = reader;
        this.notes = notes;
    }

    /** The notes at {@code notesCommit}; an empty store when it is absent. */
    public static EvidenceStore open(RevWalk walk, Optional<ObjectId> notesCommit) throws IOException {
        if (notesCommit.isEmpty()) {
            return EMPTY;
        }
        RevCommit commit = walk.parseCommit(notesCommit.get());
        return new EvidenceStore(walk.getObjectReader(), NoteMap.read(walk.getObjectReader(), commit));
    }

    public boolean exists() {
        return notes != null;
    }

    /** Every non-blank line of the note on {@code annotated}; none when it has no note. */
    public List<NoteLine> lines(AnyObjectId annotated) throws IOException {
        if (notes == null) {
            return List.of();
        }
        Note note = notes.getNote(annotated);
        if (note == null) {
            return List.of();
        }
        return readLines(reader, note.getData());
    }

    /** Valid test evidence on {@code annotated} whose {@code commit} field names it. */
    public List<EvidenceRecord> records(AnyObjectId annotated) throws IOException {
        List<EvidenceRecord> records = new ArrayList<>();
        for (NoteLine line : validLines(annotated)) {
            line.evidence().ifPresent(records::add);
        }
        return records;
    }

    /** The lines on {@code annotated} that hold a valid record, of either kind, whose {@code commit} names it. */
    public List<NoteLine> validLines(AnyObjectId annotated) throws IOException {
        List<NoteLine> valid = new ArrayList<>();
        for (NoteLine line : lines(annotated)) {
            if (line.record().filter(record -> record.commit().equals(annotated.name())).isPresent()) {
                valid.add(line);
            }
        }
        return valid;
    }

    /**
     * The non-blank lines of a note blob; an oversized note, or a note entry that names a tree
     * or a commit (git shows no note there), reads as one invalid line.
     */
    public static List<NoteLine> readLines(ObjectReader reader, ObjectId blob) throws IOException {
        ObjectLoader loader = reader.open(blob);
        if (loader.getType() != Constants.OBJ_BLOB) {
            return List.of(new NoteLine("", Optional.empty(),
                    Optional.of("the note is a " + Constants.typeString(loader.getType()) + ", not a blob")));
        }
        if (loader.getSize() > MAX_NOTE_BYTES) {
            return List.of(new NoteLine("", Optional.empty(),
                    Optional.of("note is " + loader.getSize() + " bytes, more than " + MAX_NOTE_BYTES)));
        }
        byte[] bytes = loader.getCachedBytes();
        List<NoteLine> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                readLine(bytes, start, i, lines);
                start = i + 1;
            }
        }
        return lines;
    }

    /** JSON text is UTF-8: a line that is not is no evidence, whatever it decodes to with replacements. */
    private static void readLine(byte[] bytes, int from, int to, List<NoteLine> lines) {
        try {
            String line = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString().strip();
            if (!line.isEmpty()) {
                lines.add(NoteLine.parse(line));
            }
        } catch (CharacterCodingException e) {
            String line = new String(bytes, from, to - from, StandardCharsets.UTF_8).strip();
            lines.add(new NoteLine(line, Optional.empty(), Optional.of("not valid UTF-8")));
        }
    }
}
