package dev.stator.dsl.json;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads a JSON document into {@link Node}s with Jackson's streaming parser, within
 * {@link JsonLimits}. The tree is built with an explicit stack, so nesting depth costs heap (bounded
 * by the limits), never the thread's stack; every limit is enforced while streaming, so a hostile
 * document is refused after reading at most the limit's worth of it.
 */
final class JsonTree {

  private final JsonFactory factory;
  private final JsonLimits limits;

  JsonTree(JsonLimits limits) {
    this.limits = limits;
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxDocumentLength(limits.maxDocumentBytes())
            .maxNestingDepth(limits.maxNestingDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNameLength(limits.maxStringLength())
            .maxNumberLength(limits.maxNumberLength())
            .maxTokenCount(limits.maxTokens())
            .build())
        .build();
  }

  private static final class Frame {
    final Node container;
    String name;
    int nameLine;
    int nameColumn;

    Frame(Node container) {
      this.container = container;
    }
  }

  /**
   * Parses {@code in}. A syntax error or an exceeded limit ends the reading: it is added to
   * {@code problems} and null is returned.
   */
  Node parse(String source, InputStream in, List<JsonProblem> problems) {
    try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), in)) {
      return parse(source, parser, problems);
    } catch (JacksonException unreadable) {
      problems.add(new JsonProblem(source, "", 0, 0, "cannot read the document: "
          + firstLine(unreadable.getOriginalMessage())));
      return null;
    }
  }

  private Node parse(String source, JsonParser parser, List<JsonProblem> problems) {
    ArrayDeque<Frame> stack = new ArrayDeque<>();
    try {
      Node root = null;
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        Frame frame = stack.peek();
        if (token == JsonToken.PROPERTY_NAME) {
          TokenStreamLocation at = parser.currentTokenLocation();
          frame.name = parser.currentName();
          frame.nameLine = at.getLineNr();
          frame.nameColumn = at.getColumnNr();
          continue;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          stack.pop();
          if (stack.isEmpty()) {
            break;
          }
          continue;
        }
        Node node = frame == null ? read(parser, token, null, null, 0)
            : frame.container.kind == Node.Kind.OBJECT
            ? read(parser, token, frame.container, frame.name, 0)
            : read(parser, token, frame.container, null, frame.container.items.size());
        if (frame == null) {
          root = node;
        } else if (frame.container.kind == Node.Kind.OBJECT) {
          frame.container.members.add(new Node.Member(frame.name, frame.nameLine, frame.nameColumn, node));
        } else {
          frame.container.items.add(node);
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          stack.push(new Frame(node));
        } else if (frame == null) {
          break;
        }
      }
      if (root == null) {
        problems.add(new JsonProblem(source, "", 1, 1, "the document is empty; expected an object describing a machine"));
        return null;
      }
      JsonToken after = parser.nextToken();
      if (after != null) {
        TokenStreamLocation at = parser.currentTokenLocation();
        problems.add(new JsonProblem(source, "", at.getLineNr(), at.getColumnNr(),
            "unexpected content after the end of the document's value; expected the end of the file"));
        return null;
      }
      return root;
    } catch (JacksonException refused) {
      // the parser reads a name and its value's first token together, so the innermost open
      // container is the most precise place that is always right
      String where = stack.isEmpty() ? "" : abbreviate(stack.peek().container.pointer());
      TokenStreamLocation at = refused.getLocation() != null ? refused.getLocation()
          : parser.currentLocation();
      String message = refused instanceof StreamConstraintsException limit ? limitMessage(limit)
          : "malformed JSON: " + firstLine(refused.getOriginalMessage());
      problems.add(new JsonProblem(source, where, at.getLineNr(), at.getColumnNr(), message));
      return null;
    }
  }

  /** Shortens the pointers of absurdly deep places, which would otherwise fill the screen. */
  private static String abbreviate(String pointer) {
    if (pointer.length() <= 120) {
      return pointer;
    }
    int cut = pointer.lastIndexOf('/', 120);
    return pointer.substring(0, cut > 0 ? cut : 120) + "/…";
  }

  private static Node read(JsonParser parser, JsonToken token, Node parent, String name, int index) {
    TokenStreamLocation at = parser.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    switch (token) {
      case START_OBJECT:
        return new Node(Node.Kind.OBJECT, parent, name, index, line, column);
      case START_ARRAY:
        return new Node(Node.Kind.ARRAY, parent, name, index, line, column);
      case VALUE_STRING: {
        Node node = new Node(Node.Kind.STRING, parent, name, index, line, column);
        node.text = parser.getString();
        return node;
      }
      case VALUE_NUMBER_INT: {
        Node node = new Node(Node.Kind.INTEGER, parent, name, index, line, column);
        node.text = parser.getString();
        JsonParser.NumberType type = parser.getNumberType();
        node.fitsLong = type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
        if (node.fitsLong) {
          node.integer = parser.getLongValue();
        }
        return node;
      }
      case VALUE_NUMBER_FLOAT: {
        Node node = new Node(Node.Kind.DECIMAL, parent, name, index, line, column);
        node.text = parser.getString();
        node.decimal = parser.getDoubleValue();
        return node;
      }
      case VALUE_TRUE:
      case VALUE_FALSE: {
        Node node = new Node(Node.Kind.BOOLEAN, parent, name, index, line, column);
        node.bool = token == JsonToken.VALUE_TRUE;
        return node;
      }
      case VALUE_NULL:
        return new Node(Node.Kind.NULL, parent, name, index, line, column);
      default:
        throw new IllegalStateException("unexpected token " + token + " under " + name);
    }
  }

  private String limitMessage(StreamConstraintsException limit) {
    String original = String.valueOf(limit.getOriginalMessage());
    if (original.contains("nesting depth")) {
      return "nested deeper than " + limits.maxNestingDepth() + " levels (JsonLimits.maxNestingDepth)";
    } else if (original.contains("Document length")) {
      return "the document is longer than " + limits.maxDocumentBytes() + " bytes (JsonLimits.maxDocumentBytes)";
    } else if (original.contains("Number value length")) {
      return "a number longer than " + limits.maxNumberLength() + " characters (JsonLimits.maxNumberLength)";
    } else if (original.contains("Token count")) {
      return "more than " + limits.maxTokens() + " JSON tokens (JsonLimits.maxTokens)";
    } else if (original.contains("String value length") || original.contains("Name length")) {
      return "a string longer than " + limits.maxStringLength() + " characters (JsonLimits.maxStringLength)";
    } else if (original.contains("hash collision") || original.contains("symbol table")) {
      // Jackson's symbol table overflowed with names sharing a hash; its message advises turning
      // the check off, which is not the reader's to offer
      return "too many names with colliding hashes; the document looks crafted to slow parsing down";
    }
    return "a limit was exceeded: " + firstLine(original);
  }

  /** Jackson's message without its advice to Java programmers (features to enable) or its excerpt. */
  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int cut = message.indexOf('\n');
    String line = cut < 0 ? message : message.substring(0, cut);
    int advice = line.indexOf(": enable `");
    if (advice >= 0) {
      return line.substring(0, advice) + " (not allowed in JSON)";
    }
    int disable = line.indexOf(" You can disable");
    return disable < 0 ? line : line.substring(0, disable).trim();
  }
}
