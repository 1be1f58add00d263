import SwiftCompilerPlugin
import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@MPIDatatype`: an extension conforming a struct to MPIElement, whose
/// datatype lists every stored property of the declaration, so that none
/// can be left out of the description by hand.
public struct MPIDatatypeMacro: ExtensionMacro {
    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        guard let structure = declaration.as(StructDeclSyntax.self) else {
            throw DiagnosticsError(diagnostics: [
                Diagnostic(node: node, message: Message.notAStruct)
            ])
        }
        var fields: [String] = []
        var diagnostics: [Diagnostic] = []
        for member in structure.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
            let modifiers = variable.modifiers.map(\.name.tokenKind)
            if modifiers.contains(.keyword(.static)) || modifiers.contains(.keyword(.class)) { continue }
            for binding in variable.bindings {
                if let accessors = binding.accessorBlock, isComputed(accessors) { continue }
                guard let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.trimmedDescription else {
                    diagnostics.append(Diagnostic(node: binding.pattern, message: Message.pattern))
                    continue
                }
                // `var x, y: Double`: the type is written on the last binding only.
                let typed = binding.typeAnnotation != nil
                    || variable.bindings.drop(while: { $0.id != binding.id }).contains { $0.typeAnnotation != nil }
                if !typed {
                    diagnostics.append(Diagnostic(node: binding.pattern, message: Message.untyped(name)))
                    continue
                }
                fields.append(name.hasPrefix("`") ? String(name.dropFirst().dropLast()) : name)
            }
        }
        if !diagnostics.isEmpty { throw DiagnosticsError(diagnostics: diagnostics) }
        if fields.isEmpty {
            throw DiagnosticsError(diagnostics: [Diagnostic(node: node, message: Message.empty)])
        }
        let access = structure.modifiers.contains { $0.name.tokenKind == .keyword(.public) || $0.name.tokenKind == .keyword(.open) }
            ? "public " : ""
        let adds = fields.map { "$0.add(\\.\($0), named: \"\($0)\")" }.joined(separator: "\n")
        let decl: DeclSyntax = """
            extension \(type.trimmed): MPIElement {
                /// The datatype of its stored properties (MPI_Type_create_struct, MPI_Type_create_resized), made once.
                \(raw: access)static var mpiDatatype: Datatype {
                    Datatype.structure(of: Self.self) {
                        \(raw: adds)
                    }
                }
            }
            """
        return [decl.cast(ExtensionDeclSyntax.self)]
    }

    /// A property with a getter (or only `get`/`set`) stores nothing; one
    /// with only `willSet`/`didSet` observers is stored.
    private static func isComputed(_ accessors: AccessorBlockSyntax) -> Bool {
        switch accessors.accessors {
        case .getter: return true
        case .accessors(let list):
            return list.contains { accessor in
                switch accessor.accessorSpecifier.tokenKind {
                case .keyword(.willSet), .keyword(.didSet): return false
                default: return true
                }
            }
        }
    }

    enum Message: DiagnosticMessage {
        case notAStruct, pattern, empty
        case untyped(String)

        var message: String {
            switch self {
            case .notAStruct:
                "@MPIDatatype applies to structs: a class or an actor is a reference, whose bytes are not its value, and an enum has no fixed fields"
            case .pattern: "@MPIDatatype needs one name per stored property (no tuple patterns)"
            case .empty: "@MPIDatatype needs at least one stored property to send"
            case .untyped(let name): "@MPIDatatype needs the type of '\(name)' written out (': Double'), to describe it"
            }
        }
        var diagnosticID: MessageID { MessageID(domain: "MPIMacros", id: "\(self)") }
        var severity: DiagnosticSeverity { .error }
    }
}

@main
struct MPIMacrosPlugin: CompilerPlugin {
    let providingMacros: [Macro.Type] = [MPIDatatypeMacro.self]
}
