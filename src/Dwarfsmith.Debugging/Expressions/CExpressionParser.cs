using System.Globalization;

namespace Dwarfsmith.Debugging.Expressions;

/// <summary>
/// Parses the C expressions <c>print</c> evaluates: names, integer literals (decimal, hex, octal),
/// parentheses, postfix <c>.</c>, <c>-&gt;</c> and <c>[i]</c>, prefix <c>*</c>, <c>&amp;</c> and <c>-</c>.
/// </summary>
public sealed class CExpressionParser
{
    private readonly string _text;
    private int _at;

    private CExpressionParser(string text) => _text = text;

    public static CExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new CExpressionParser(text);
        var expression = parser.Unary();
        parser.SkipSpace();
        if (parser._at < text.Length)
            throw new ExpressionException($"A syntax error in expression, near `{text[parser._at..]}'.");
        return expression;
    }

    private CExpression Unary()
    {
        SkipSpace();
        if (_at < _text.Length && _text[_at] is '*' or '&' or '-')
        {
            var op = _text[_at++];
            return new UnaryExpression(op, Unary());
        }

        return Postfix();
    }

    private CExpression Postfix()
    {
        var expression = Primary();
        while (true)
        {
            SkipSpace();
            if (Accept("->"))
            {
                expression = new MemberExpression(expression, Identifier(), ThroughPointer: true);
            }
            else if (Accept("."))
            {
                expression = new MemberExpression(expression, Identifier(), ThroughPointer: false);
            }
            else if (Accept("["))
            {
                var index = Unary();
                SkipSpace();
                if (!Accept("]"))
                    throw Syntax();
                expression = new IndexExpression(expression, index);
            }
            else
            {
                return expression;
            }
        }
    }

    private CExpression Primary()
    {
        SkipSpace();
        if (Accept("("))
        {
            var inner = Unary();
            SkipSpace();
            if (!Accept(")"))
                throw Syntax();
            return inner;
        }

        if (_at < _text.Length && char.IsAsciiDigit(_text[_at]))
            return new IntegerExpression(Integer());
        return new NameExpression(Identifier());
    }

    private long Integer()
    {
        int start = _at;
        while (_at < _text.Length && char.IsAsciiLetterOrDigit(_text[_at]))
            _at++;
        var token = _text[start.._at].TrimEnd('u', 'U', 'l', 'L');
        bool ok;
        long value;
        if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = long.TryParse(token[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        else if (token.Length > 1 && token[0] == '0')
        {
            try
            {
                value = Convert.ToInt64(token, 8);
                ok = true;
            }
            catch (FormatException)
            {
                value = 0;
                ok = false;
            }
        }
        else
        {
            ok = long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        return ok ? value : throw new ExpressionException($"Invalid number \"{_text[start.._at]}\".");
    }

    private string Identifier()
    {
        SkipSpace();
        int start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_') && (_at > start || !char.IsAsciiDigit(_text[_at])))
            _at++;
        return _at > start ? _text[start.._at] : throw Syntax();
    }

    private bool Accept(string token)
    {
        if (string.CompareOrdinal(_text, _at, token, 0, token.Length) != 0)
            return false;
        _at += token.Length;
        return true;
    }

    private void SkipSpace()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            _at++;
    }

    private ExpressionException Syntax() =>
        new(_at < _text.Length ? $"A syntax error in expression, near `{_text[_at..]}'." : "A syntax error in expression, near `'.");
}
