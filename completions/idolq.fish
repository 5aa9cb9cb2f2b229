# fish completion for idolq. Install: copy to ~/.config/fish/completions/idolq.fish
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
