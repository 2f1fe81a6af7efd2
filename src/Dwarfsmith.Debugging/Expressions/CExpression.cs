namespace Dwarfsmith.Debugging.Expressions;

/// <summary>An expression the user gave that cannot be parsed or evaluated, with gdb's kind of message.</summary>
public sealed class ExpressionException(string message) : Exception(message);

/// <summary>A parsed C expression (the subset <c>print</c> takes).</summary>
public abstract record CExpression;

public sealed record NameExpression(string Name) : CExpression;

public sealed record IntegerExpression(long Value) : CExpression;

/// <summary><c>base.member</c>, or <c>base-&gt;member</c> when <see cref="ThroughPointer"/>.</summary>
public sealed record MemberExpression(CExpression Base, string Member, bool ThroughPointer) : CExpression;

public sealed record IndexExpression(CExpression Base, CExpression Index) : CExpression;

/// <summary>A unary operator: <c>*</c>, <c>&amp;</c> or <c>-</c>.</summary>
public sealed record UnaryExpression(char Operator, CExpression Operand) : CExpression;
