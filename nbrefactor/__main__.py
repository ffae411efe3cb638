from nbrefactor.cli import main

main(prog_name="nbrefactor")
