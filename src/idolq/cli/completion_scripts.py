"""The shell completion scripts. Each one asks `idolq __complete WORDS...` for candidates."""

BASH = r'''# bash completion for idolq. Install: source this file from ~/.bashrc, or copy it to
# ~/.local/share/bash-completion/completions/idolq
_idolq() {
    local IFS=$'\n' cur="${COMP_WORDS[COMP_CWORD]}"
    local -a words=("${COMP_WORDS[@]:1:COMP_CWORD}")
    COMPREPLY=($(idolq __complete "${words[@]}" 2>/dev/null))
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == "__files__" ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o bashdefault -o default -F _idolq idolq
'''

ZSH = r'''#compdef idolq
# zsh completion for idolq. Install: put this file, named _idolq, in a folder of $fpath
# (then run compinit), or source it from ~/.zshrc after compinit.
_idolq() {
    local -a candidates
    candidates=("${(@f)$(idolq __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if [[ ${#candidates[@]} -eq 1 && ${candidates[1]} == "__files__" ]]; then
        _files
    elif [[ -n ${candidates[1]} ]]; then
        compadd -- "${candidates[@]}"
    fi
}
if [[ $funcstack[1] == _idolq ]]; then
    _idolq "$@"
else
    compdef _idolq idolq
fi
'''

FISH = r'''# fish completion for idolq. Install: copy to ~/.config/fish/completions/idolq.fish
function __idolq_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l candidates (idolq __complete $words[2..-1] 2>/dev/null)
    if test "$candidates" = "__files__"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\n' $candidates
    end
end
complete -c idolq -f -a '(__idolq_complete)'
'''

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}
