# bash completion for idolq. Install: source this file from ~/.bashrc, or copy it to
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
